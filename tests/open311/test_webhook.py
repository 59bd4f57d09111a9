"""The 12345 hotline's webhook (officers/open311/services.py): a real local HTTP receiver, and the real
database worker (`manage.py db_worker`, a separate process on the test database) stopped and started again in
the middle. The receiver must see each stage once, in order, each with a valid HMAC-SHA256 signature, though
one delivery fails and is retried after a back-off, and the first worker is killed with a retry pending."""

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from officers.open311 import services
from officers.resident_requests import services as request_services
from officers.resident_requests.models import RequestStep, ResidentRequest

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Receiver:
    """The partner's endpoint: keeps every attempt; answers 500 to the next `fail` attempts, 204 otherwise."""

    def __init__(self):
        self.attempts: list[dict] = []
        self.fail = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                failed = receiver.fail > 0
                receiver.fail -= failed
                receiver.attempts.append({"headers": dict(self.headers), "body": body, "failed": failed})
                self.send_response(500 if failed else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hotline/stages"

    def accepted(self) -> list[dict]:
        return [attempt for attempt in self.attempts if not attempt["failed"]]

    def wait(self, count: int, *, failed: int = 0, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.accepted()) >= count and len(self.attempts) - len(self.accepted()) >= failed:
                return
            time.sleep(0.05)
        raise AssertionError(f"the receiver saw {self.attempts!r}")


def database_url() -> str:
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "TASKS_BACKEND": "database",
           "OPEN311_WEBHOOK_BACKOFF": "5,1"}  # fmt: skip
    # The first retry waits 5 s, so that the worker is killed while idle, never between sending a stage and
    # recording it (a kill there sends that stage again: the contract's at-least-once, which the partner
    # absorbs by stage id; this test checks the order and the restart, not that window).
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval=0.1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


@pytest.mark.django_db(transaction=True)
def test_each_stage_once_in_order_signed_across_a_worker_restart(settings, client, receiver, officer, security_admin):
    settings.TASKS = DATABASE_TASKS
    _key, raw = services.partner_key_issue(name="12345热线", by=security_admin, may_work_orders=True)
    registered = client.post(reverse("open311:webhook", kwargs={"fmt": "json"}), {"api_key": raw, "url": receiver.url})
    secret = registered.json()["secret"]
    assert registered.status_code == 200 and len(secret) == 64

    worker = start_worker()
    try:
        order = {"api_key": raw, "external_id": "12345-0001", "service_code": "facility",
                 "description": "路灯坏了", "address_id": "minzhulu"}  # fmt: skip
        assert client.post(reverse("open311:work_orders", kwargs={"fmt": "json"}), order).status_code == 201
        receiver.wait(1)
        resident_request = ResidentRequest.objects.get()

        receiver.fail = 1  # the next delivery fails: a retry after the back-off
        request_services.request_accept(resident_request=resident_request, by=officer)
        receiver.wait(1, failed=1)
        worker.send_signal(signal.SIGKILL)  # gone, with the retry pending (or not yet even queued)
        worker.wait(timeout=10)

        # while no worker runs, the officer resolves it: queued in the database, waiting
        request_services.request_resolve(resident_request=resident_request, by=officer, reply="已修好")
        time.sleep(0.5)
        assert len(receiver.accepted()) == 1

        worker = start_worker()
        receiver.wait(3)
        request_services.request_rate(resident_request=resident_request, rating="satisfied")
        receiver.wait(4)
        time.sleep(1.5)  # the pending retry comes due and finds nothing left to send
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)

    stages = [json.loads(attempt["body"]) for attempt in receiver.accepted()]
    expected = list(RequestStep.objects.order_by("pk").values_list("pk", "kind"))
    assert [(stage["stage_id"], stage["stage"]) for stage in stages] == expected  # each once, in order
    assert [kind for _pk, kind in expected] == ["submitted", "accepted", "resolved", "rated"]
    assert [stage["status"] for stage in stages] == ["open", "open", "closed", "closed"]
    assert stages[2]["note"] == "已修好" and {stage["external_id"] for stage in stages} == {"12345-0001"}
    for attempt in receiver.accepted():
        headers = attempt["headers"]
        signed = headers["X-Yushu-Timestamp"].encode() + b"." + attempt["body"]
        expected_signature = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Yushu-Signature"], "sha256=" + expected_signature)
        assert headers["X-Yushu-Stage-Id"] == str(json.loads(attempt["body"])["stage_id"])
        assert abs(int(headers["X-Yushu-Timestamp"]) - time.time()) < 120
    assert [a["failed"] for a in receiver.attempts].count(True) == 1

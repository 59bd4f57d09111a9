"""Defaults for production: /healthz for load balancers, a branded 503 page when the database is down, the
private uploads never served by Django (not even with DEBUG on)."""

import importlib

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse


def unreachable(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.fixture
def database_down(db):
    """Every query fails as it does when PostgreSQL is unreachable (until the test ends, before the test
    database's own teardown)."""
    connection.cursor = unreachable
    yield
    del connection.cursor


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db, database_down):
    assert client.get("/healthz").status_code == 503


@override_settings(ALLOWED_HOSTS=["yushu.example.gov.cn"], SECURE_SSL_REDIRECT=True)
def test_healthz_answers_a_load_balancer_probing_by_address_over_http(db):
    response = Client().get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200  # no 400 for the host, no redirect to HTTPS


def test_a_page_with_the_database_down_is_the_branded_503(client, reference, database_down):
    response = client.get(reverse("directory:index"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "系统暂时无法使用" in html and "数据库暂时无法连接" in html
    assert response["Retry-After"] == "60"


def test_a_logged_in_user_with_the_database_down_gets_the_503_too(reference, city_admin):
    client = Client(raise_request_exception=False)
    client.force_login(city_admin)
    connection.cursor = unreachable
    try:
        response = client.get(reverse("officers:list"))  # fails in the middleware, before any view
    finally:
        del connection.cursor
    assert response.status_code == 503 and "系统暂时无法使用" in response.content.decode()


def test_the_private_folder_is_never_served_from_media_even_with_debug(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "private" / "assessments").mkdir(parents=True)
    (tmp_path / "private" / "assessments" / "report.pdf").write_bytes(b"%PDF-1.4 secret")
    (tmp_path / "officers" / "photos").mkdir(parents=True)
    (tmp_path / "officers" / "photos" / "a.jpg").write_bytes(b"jpeg")
    import yushu_gov.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(yushu_gov.urls)
            clear_url_caches()
            client = Client()
            for path in (
                "/media/private/assessments/report.pdf",
                "/media/PRIVATE/assessments/report.pdf",
                "/media/officers/../private/assessments/report.pdf",
                "/media/./private/assessments/report.pdf",
                "/media//private/assessments/report.pdf",
            ):
                assert client.get(path).status_code == 404, path
            response = client.get("/media/officers/photos/a.jpg")
            assert response.status_code == 200
            response.close()
    finally:
        importlib.reload(yushu_gov.urls)
        clear_url_caches()

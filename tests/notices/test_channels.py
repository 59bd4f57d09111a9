"""Each channel's adapter against what its provider documents: the signing example vectors, then a real
request to a local endpoint that checks it (SMS, WeCom) or a real SMTP server (e-mail)."""

import json
import socket
import time
from urllib.parse import parse_qsl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from yushu_gov.notices.channels import sms_aliyun, sms_tencent
from yushu_gov.notices.delivery import notice_deliver
from yushu_gov.notices.models import Notice
from yushu_gov.notices.outbox import notice_write

from .servers import aliyun_answer, endpoint, tencent_answer

pytestmark = pytest.mark.django_db

# Alibaba Cloud's worked example of the RPC signature (DescribeRegions, AccessKeySecret "testsecret").
ALIYUN_DOC = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
}  # fmt: skip


def test_aliyun_signature_matches_the_documented_example():
    assert sms_aliyun.string_to_sign(ALIYUN_DOC, "GET") == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert sms_aliyun.sign(ALIYUN_DOC, "testsecret", "GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert sms_aliyun.percent_encode("a b*c~d") == "a%20b%2Ac~d"


def test_tencent_signature_matches_the_documented_example():
    # Tencent Cloud's worked example of TC3-HMAC-SHA256 (cvm DescribeInstances at 1551113065), with the
    # SecretKey as the document prints it, and the international document's EXAMPLE key.
    payload = json.dumps({"Limit": 1, "Filters": [{"Values": ["未命名"], "Name": "instance-name"}]}).encode()
    canonical = sms_tencent.canonical_request(host="cvm.tencentcloudapi.com", payload=payload)
    assert canonical.endswith("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")
    assert sms_tencent.string_to_sign(timestamp=1551113065, service="cvm", canonical=canonical) == (
        "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    )
    sign = {"timestamp": 1551113065, "service": "cvm", "canonical": canonical}
    assert sms_tencent.signature(secret_key="Gu5t9xGARNpq86cd98joQYCN3*******", **sign) == (
        "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
    )
    assert sms_tencent.signature(secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", **sign) == (
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


def _sms(**extra) -> Notice:
    return notice_write(
        event="test.sms", recipient="request:1", channel="sms", kind="request.accepted", title="诉求",
        body="您的诉求已受理", address="13912345678",
        params={"resolve_by": "12月9日", "number": "YS-2026-000001", "respond_by": "12月7日"},
        urgent=True, **extra,
    )  # fmt: skip


@pytest.fixture
def sms_settings(settings):
    settings.SMS_TEMPLATES = {"request.accepted": "SMS_100"}
    return settings


def test_aliyun_sends_a_signed_request_that_the_endpoint_accepts(sms_settings):
    settings = sms_settings
    settings.NOTICE_SMS_CHANNEL = "aliyun"
    settings.ALIYUN_SMS_ACCESS_KEY_ID, settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "LTAI-test", "a-secret"
    settings.ALIYUN_SMS_SIGN_NAME = "玉树市"
    with endpoint(aliyun_answer("a-secret")) as (url, seen):
        settings.ALIYUN_SMS_ENDPOINT = url
        notice = _sms()
    notice.refresh_from_db()
    assert notice.status == "sent", notice.failure
    assert notice.provider_ref == "aliyun:900619746936498440^0"
    sent = dict(parse_qsl(seen[0][1].decode()))
    assert sent["PhoneNumbers"] == "13912345678" and sent["TemplateCode"] == "SMS_100"
    assert sent["OutId"] == notice.key and json.loads(sent["TemplateParam"])["number"] == "YS-2026-000001"


def test_aliyun_with_a_wrong_secret_is_refused_and_fails_with_the_reason(sms_settings):
    settings = sms_settings
    settings.NOTICE_SMS_CHANNEL = "aliyun"
    settings.ALIYUN_SMS_ACCESS_KEY_ID, settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "LTAI-test", "not-the-secret"
    with endpoint(aliyun_answer("a-secret")) as (url, _seen):
        settings.ALIYUN_SMS_ENDPOINT = url
        notice = _sms()
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.failure.startswith("HTTP 400")


def test_tencent_sends_a_signed_request_that_the_endpoint_accepts(sms_settings):
    settings = sms_settings
    settings.NOTICE_SMS_CHANNEL = "tencent"
    settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY = "AKID-test", "a-key"
    settings.TENCENT_SMS_SDK_APP_ID, settings.TENCENT_SMS_SIGN_NAME = "1400000000", "玉树市"
    with endpoint(tencent_answer("AKID-test", "a-key")) as (url, seen):
        settings.TENCENT_SMS_ENDPOINT = url
        notice = _sms()
        settings.TENCENT_SMS_SECRET_KEY = "another-key"  # a wrong key: the endpoint refuses it
        refused = notice_write(
            event="test.sms2", recipient="request:2", channel="sms", kind="request.accepted", title="诉求",
            body="x", address="13912345678", params={}, urgent=True,
        )  # fmt: skip
    notice.refresh_from_db()
    refused.refresh_from_db()
    assert notice.status == "sent" and notice.provider_ref == "tencent:2028:f825e6"
    body = json.loads(seen[0][1])
    assert body["PhoneNumberSet"] == ["+8613912345678"] and body["SessionContext"] == notice.key
    # by the template's positions, whatever order the stored JSON keeps (jsonb sorts keys)
    assert body["TemplateParamSet"] == ["YS-2026-000001", "12月7日", "12月9日"]
    assert refused.status == "failed" and refused.failure.startswith("AuthFailure.SignatureFailure")


def test_wecom_posts_markdown_to_the_group_robot(settings):
    settings.NOTICE_WECOM_CHANNEL = "webhook"
    with endpoint(lambda headers, body: (200, {"errcode": 0, "errmsg": "ok"})) as (url, seen):
        settings.WECOM_WEBHOOKS = {"bureau": url + "cgi-bin/webhook/send?key=k"}
        notice = notice_write(
            event="test.wecom", recipient="wecom:bureau", channel="wecom", kind="digest.weekly", title="每周待办摘要",
            body="本周待办：谈心谈话逾期 2", address="bureau", link="https://example.org/", urgent=True,
        )  # fmt: skip
    notice.refresh_from_db()
    assert notice.status == "sent"
    message = json.loads(seen[0][1])
    assert message["msgtype"] == "markdown" and "谈心谈话逾期 2" in message["markdown"]["content"]


def test_wecom_server_errors_are_retried_with_back_off(settings):
    settings.NOTICE_WECOM_CHANNEL = "webhook"
    settings.NOTICE_MAX_ATTEMPTS = 2
    with endpoint(lambda headers, body: (502, {})) as (url, seen):
        settings.WECOM_WEBHOOKS = {"bureau": url}
        notice = notice_write(
            event="test.wecom.retry", recipient="wecom:bureau", channel="wecom", kind="k", title="t", body="b",
            address="bureau", urgent=True,
        )  # fmt: skip
        notice.refresh_from_db()
        assert notice.status == "pending" and notice.attempts == 1 and notice.failure == "HTTP 502"
        assert 55 <= (notice.next_try - notice.claimed_at).total_seconds() <= 65
        Notice.objects.filter(pk=notice.pk).update(next_try=None)  # the back-off has passed
        assert notice_deliver(notice_id=notice.pk) == "failed"
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.attempts == 2 and len(seen) == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def test_email_goes_through_a_real_smtp_server(settings, officer):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.NOTICE_EMAIL_CHANNEL = "smtp"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        notice = notice_write(
            event="test.mail", recipient=f"user:{officer.pk}", channel="email", kind="request.new", title="群众诉求",
            body="新的群众诉求 YS-2026-000001", address="officer@example.org", link="https://yushu.example/x",
            urgent=True,
        )  # fmt: skip
        for _ in range(50):
            if handler.messages:
                break
            time.sleep(0.1)
    finally:
        controller.stop()
    notice.refresh_from_db()
    assert notice.status == "sent"
    (message,) = handler.messages
    assert message["To"] == "officer@example.org" and message["Message-ID"] == f"<{notice.key}@yushu-notices>"
    assert "YS-2026-000001" in message.get_payload(decode=True).decode()

"""Local HTTP endpoints for the channels' tests: each checks the request the way its provider documents it
(the signature recomputed from what arrived, with the secret only the test and the provider know) and
answers as the provider does."""

import hashlib
import hmac
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from yushu_gov.notices.channels import sms_aliyun, sms_tencent


@contextmanager
def endpoint(answer):
    """Serves POSTs on 127.0.0.1; `answer(headers, body) -> (status, dict)`; yields (url, seen requests)."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append((dict(self.headers), body))
            status, payload = answer(self.headers, body)
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", seen
    finally:
        server.shutdown()
        server.server_close()


def aliyun_answer(secret: str):
    """Dysmsapi as documented: the RPC signature recomputed over every parameter but Signature."""

    def answer(headers, body):
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        given = params.pop("Signature", "")
        expected = sms_aliyun.sign(params, secret, "POST")
        if not hmac.compare_digest(given, expected):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}

    return answer


def tencent_answer(secret_id: str, secret_key: str):
    """SMS 2021-01-11 as documented: the TC3 signature recomputed from the Host and Content-Type headers,
    the timestamp header and the body."""

    def answer(headers, body):
        timestamp = int(headers["X-TC-Timestamp"])
        canonical = "\n".join(
            ["POST", "/", "", f"content-type:{headers['Content-Type']}", f"host:{headers['Host']}", "",
             "content-type;host", hashlib.sha256(body).hexdigest()]
        )  # fmt: skip
        date = sms_tencent.date_of(timestamp)
        key = hmac.new(f"TC3{secret_key}".encode(), date.encode(), hashlib.sha256).digest()
        key = hmac.new(key, b"sms", hashlib.sha256).digest()
        key = hmac.new(key, b"tc3_request", hashlib.sha256).digest()
        to_sign = (
            f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        )
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        expected = (
            f"TC3-HMAC-SHA256 Credential={secret_id}/{date}/sms/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={signature}"
        )
        if headers.get("Authorization") != expected or headers.get("X-TC-Action") != "SendSms":
            return 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad"}}}
        return 200, {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": "2028:f825e6"}], "RequestId": "a0"}}

    return answer

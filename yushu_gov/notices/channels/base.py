"""What the adapters share: the two kinds of failure, a JSON POST with its errors sorted into them, the SMS
template codes."""

import json
import urllib.error
import urllib.request

from django.conf import settings


class SendFailure(Exception):
    """A send that did not go through; the message (Chinese or the provider's code) is shown as the reason."""


class TemporaryFailure(SendFailure):
    pass


class PermanentFailure(SendFailure):
    pass


def post(url: str, *, data: bytes, headers: dict, timeout: float = 10.0) -> dict:
    """POSTs and returns the JSON answer. Network errors and 5xx/429 answers are temporary, other HTTP errors
    permanent."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the URL is a setting)
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        text = f"HTTP {exc.code}"
        if exc.code >= 500 or exc.code == 429:
            raise TemporaryFailure(text) from exc
        raise PermanentFailure(text) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TemporaryFailure(f"network: {type(exc).__name__}") from exc
    except ValueError as exc:
        raise TemporaryFailure("invalid JSON answer") from exc


def template_code(kind: str) -> str:
    code = settings.SMS_TEMPLATES.get(kind, "")
    if not code:
        raise PermanentFailure(f"no SMS template for {kind}")
    return str(code)

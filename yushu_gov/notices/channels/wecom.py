"""WeCom (企业微信) group robot: a Markdown message POSTed to the group's webhook, named by the notice's
address in WECOM_WEBHOOKS ({"bureau": url, "street:JG": url})."""

import json

from django.conf import settings

from .base import PermanentFailure, TemporaryFailure, post

TEMPORARY_CODES = {45009, -1}  # over the robot's rate limit (20 a minute), system busy


def send(notice) -> str:
    url = settings.WECOM_WEBHOOKS.get(notice.address)
    if not url:
        raise PermanentFailure(f"no WeCom webhook for {notice.address}")
    text = f"**{notice.title}**\n{notice.body}"
    if notice.link:
        text += f"\n[查看]({notice.link})"
    body = json.dumps({"msgtype": "markdown", "markdown": {"content": text}}, ensure_ascii=False).encode()
    answer = post(url, data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    code = answer.get("errcode", -1)
    if code == 0:
        return "wecom:ok"
    reason = f"{code}: {answer.get('errmsg', '')}"[:200]
    raise (TemporaryFailure if code in TEMPORARY_CODES else PermanentFailure)(reason)

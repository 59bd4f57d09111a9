"""The development channel (`make run`): the message is kept in the database, once per notice key, and shown
on the delivery page. Sending the same notice again finds its message and adds nothing."""

from yushu_gov.notices.models import DevMessage


def send(notice) -> str:
    text = notice.body if not notice.link else f"{notice.body} {notice.link}"
    message, _created = DevMessage.objects.get_or_create(
        key=notice.key, defaults={"channel": notice.channel, "to": notice.masked_address[:100], "text": text[:600]}
    )
    return f"dev:{message.pk}"

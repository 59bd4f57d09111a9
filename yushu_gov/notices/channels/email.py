"""E-mail through Django's SMTP backend (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
EMAIL_USE_TLS / EMAIL_USE_SSL). The notice's key is the Message-ID."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .base import PermanentFailure, TemporaryFailure


def send(notice) -> str:
    body = notice.body if not notice.link else f"{notice.body}\n\n{notice.link}"
    message_id = f"<{notice.key}@yushu-notices>"
    message = EmailMessage(
        subject=notice.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.address],
        headers={"Message-ID": message_id},
        connection=get_connection("django.core.mail.backends.smtp.EmailBackend", fail_silently=False),
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure("SMTP: recipient refused") from exc
    except smtplib.SMTPResponseException as exc:
        failure = TemporaryFailure if 400 <= exc.smtp_code < 500 else PermanentFailure
        raise failure(f"SMTP {exc.smtp_code}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"SMTP: {type(exc).__name__}") from exc
    return f"email:{message_id}"[:100]

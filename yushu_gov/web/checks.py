"""System checks of the deployment (manage.py check --deploy)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def public_base_url_is_set(app_configs, **kwargs):
    if settings.DEBUG or settings.PUBLIC_BASE_URL:
        return []
    return [
        Warning(
            "PUBLIC_BASE_URL is not set: the contact cards' QR codes would point at whichever host served the page.",
            hint="Set PUBLIC_BASE_URL to the address residents reach the public directory at (see .env.example).",
            id="yushu_gov.W001",
        )
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data and its command, load_demo_data."""

    name = "assessments.demo"
    label = "demo"
    verbose_name = _("演示数据")

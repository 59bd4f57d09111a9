"""The police-call import template (.xlsx): the headers the import reads, one row per community in scope."""

from django.utils import timezone

from yushu_gov.documents.xlsx import build_workbook
from yushu_gov.input.labels import INCIDENT_COUNT

from .models import Community
from .services import IMPORT_HEADERS


def police_call_template(*, user) -> bytes:
    """Last month's rows to fill in, one per community in the user's scope."""
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    rows = [[c.name, year, month, None] for c in Community.objects.visible_to(user)]
    return build_workbook(str(INCIDENT_COUNT), IMPORT_HEADERS, rows, column_widths=[28, 10, 8, 14])

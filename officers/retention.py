"""The officers' retention rule (yushu_gov/audit/retention.py): an officer's ID and mobile numbers and photo are
erased OFFICER_DATA_RETENTION_YEARS after his last seat ended (or his last nomination was returned or
withdrawn: the last change of any of his appointments), or after his registration when he never had one.
Officers with a seat in progress or serving keep them."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import services
from .models import Appointment, Officer


def due() -> list[Officer]:
    """The officers whose personal data is due for erasure."""
    years = settings.OFFICER_DATA_RETENTION_YEARS
    cutoff = timezone.now() - timedelta(days=365 * years + years // 4)
    current = Appointment.objects.filter(officer=OuterRef("pk"), status__in=Appointment.CURRENT)
    return list(
        Officer.objects.filter(personal_data_erased_at__isnull=True)
        .exclude(Exists(current))
        .annotate(last_activity=Coalesce(Max("appointments__updated_at"), F("created_at")))
        .filter(last_activity__lt=cutoff)
    )


def apply(*, dry_run: bool = False) -> int:
    officers = due()
    if dry_run:
        return len(officers)
    rule = f"{settings.OFFICER_DATA_RETENTION_YEARS} years"
    return sum(services.officer_personal_data_erase(officer=officer, rule=rule) for officer in officers)

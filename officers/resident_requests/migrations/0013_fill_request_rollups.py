from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import Count, F, FloatField, Func, Q
from django.db.models.functions import ExtractMonth, ExtractYear, Floor

DONE = ("resolved", "closed")
SATISFIED = ("satisfied", "basic")
PATH = "community__street__area__path"
TENTH = 8640


class _Seconds(Func):
    """resolved_at − submitted_at in seconds, on either database (written out: a migration does not import code
    that will change)."""

    def __init__(self):
        super().__init__(F("resolved_at"), F("submitted_at"), output_field=FloatField())

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision", arg_joiner=" - "
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(django_timestamp_diff(%(expressions)s) / 1000000.0)", arg_joiner=", "
        )


def _add_up(rows, key_of, amounts_of):
    totals = {}
    for row in rows.iterator(chunk_size=5000):
        for part in (row[PATH] or "").split("."):
            if part:
                total = totals.setdefault(key_of(int(part), row), {})
                for name, value in amounts_of(row).items():
                    total[name] = total.get(name, 0) + value
    return sorted(totals.items())


def fill(apps, schema_editor):
    """The rates' roll-ups counted once from the requests (the rules of officers/resident_requests/rollup.py)."""
    ResidentRequest = apps.get_model("resident_requests", "ResidentRequest")
    AreaRequestMonth = apps.get_model("resident_requests", "AreaRequestMonth")
    AreaResolveTime = apps.get_model("resident_requests", "AreaResolveTime")
    shanghai = ZoneInfo("Asia/Shanghai")
    dated = ResidentRequest.objects.annotate(
        y=ExtractYear("submitted_at", tzinfo=shanghai), m=ExtractMonth("submitted_at", tzinfo=shanghai)
    ).order_by()
    responded = Q(responded_at__isnull=False)
    months = dated.values(PATH, "y", "m").annotate(
        received=Count("pk"),
        responded=Count("pk", filter=responded),
        responded_in_time=Count("pk", filter=responded & Q(responded_at__lte=F("respond_by"))),
        resolved=Count("pk", filter=Q(status__in=DONE)),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating__in=SATISFIED)),
    )
    names = ("received", "responded", "responded_in_time", "resolved", "rated", "satisfied")
    AreaRequestMonth.objects.bulk_create(
        [
            AreaRequestMonth(area_id=a, year=y, month=m, **amounts)
            for (a, y, m), amounts in _add_up(
                months, lambda a, r: (a, r["y"], r["m"]), lambda r: {n: r[n] for n in names}
            )
        ],
        batch_size=2000,
    )
    times = (
        dated.filter(status__in=DONE, resolved_at__isnull=False)
        .annotate(t=Floor(_Seconds() / TENTH))
        .values(PATH, "y", "m", "t")
        .annotate(n=Count("pk"))
    )
    AreaResolveTime.objects.bulk_create(
        [
            AreaResolveTime(area_id=a, year=y, month=m, tenths=t, resolved=amounts["n"])
            for (a, y, m, t), amounts in _add_up(
                times, lambda a, r: (a, r["y"], r["m"], max(0, int(r["t"]))), lambda r: {"n": r["n"]}
            )
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("resident_requests", "0012_request_rollups")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

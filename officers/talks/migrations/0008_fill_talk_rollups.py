from django.db import migrations

TERMS = ("serving", "ended")


def _index(day):
    return day.year * 12 + day.month - 1


def fill(apps, schema_editor):
    """The compliance roll-ups counted once from the terms and the talks' monthly counts kept so far (the rules
    of officers/talks/rollup.py, written out here: a migration does not import code that will change)."""
    Appointment = apps.get_model("officers", "Appointment")
    TalkMonth = apps.get_model("talks", "TalkMonth")
    Street = apps.get_model("communities", "Street")
    StreetTalkMonth = apps.get_model("talks", "StreetTalkMonth")
    AreaTalkMonth = apps.get_model("talks", "AreaTalkMonth")
    pairs = {}
    terms = Appointment.objects.filter(status__in=TERMS, started_on__isnull=False).values_list(
        "officer_id", "community__street_id", "started_on", "ended_on"
    )
    for officer_id, street_id, started_on, ended_on in terms.order_by().iterator(chunk_size=5000):
        spans = pairs.setdefault((officer_id, street_id), ([], set()))[0]
        spans.append((_index(started_on), None if ended_on is None else _index(ended_on)))
    held = TalkMonth.objects.filter(talks__gt=0).values_list("officer_id", "community__street_id", "year", "month")
    for officer_id, street_id, year, month in held.distinct().order_by().iterator(chunk_size=5000):
        pairs.setdefault((officer_id, street_id), ([], set()))[1].add((year, month))
    streets = {}

    def add(key, field):
        row = streets.setdefault(key, dict.fromkeys(("arrived", "departed", "held", "held_serving"), 0))
        row[field] += 1

    for (_officer_id, street_id), (spans, months) in pairs.items():
        merged = []
        for first, last in sorted(spans, key=lambda span: span[0]):
            if merged and (merged[-1][1] is None or first <= merged[-1][1] + 1):
                if merged[-1][1] is not None:
                    merged[-1][1] = None if last is None else max(merged[-1][1], last)
            else:
                merged.append([first, last])
        for first, last in merged:
            add((street_id, first // 12, first % 12 + 1), "arrived")
            if last is not None:
                add((street_id, (last + 1) // 12, (last + 1) % 12 + 1), "departed")
        for year, month in months:
            if not any(f <= year * 12 + 11 and (la is None or la >= year * 12) for f, la in merged):
                continue
            add((street_id, year, month), "held")
            index = year * 12 + month - 1
            if any(f <= index and (la is None or index <= la) for f, la in merged):
                add((street_id, year, month), "held_serving")
    StreetTalkMonth.objects.bulk_create(
        [StreetTalkMonth(street_id=s, year=y, month=m, **row) for (s, y, m), row in sorted(streets.items())],
        batch_size=2000,
    )
    paths = dict(Street.objects.values_list("pk", "area__path"))
    areas = {}
    for (street_id, year, month), row in streets.items():
        for part in (paths.get(street_id) or "").split("."):
            if part:
                total = areas.setdefault((int(part), year, month), dict.fromkeys(row, 0))
                for name, value in row.items():
                    total[name] += value
    AreaTalkMonth.objects.bulk_create(
        [AreaTalkMonth(area_id=a, year=y, month=m, **row) for (a, y, m), row in sorted(areas.items())],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0007_talk_rollups"),
        ("officers", "0014_list_indexes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

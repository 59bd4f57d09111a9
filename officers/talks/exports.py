"""The talk ledger (谈心谈话记录台账) as .xlsx: one row per talk of a year, in the user's scope, written in the
background (yushu_gov/documents/export_jobs.py) from talks read 2,000 at a time."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.messages import COMMUNITY_LABEL, STREET_LABEL
from communities.models import Street
from officers.messages import POLICE_NUMBER, SERIAL_NUMBER
from officers.talks.messages import (
    FOLLOW_UP,
    OFFICER_THOUGHTS,
    RECORDED_BY,
    TALK_CONTENT,
    TALK_DATE,
    TALK_PLACE,
    TALK_SUBJECT,
    TALK_TIME,
    TALK_TOPICS,
    TALKER,
    TALKER_POSITION,
)
from yushu_gov.documents.export_jobs import ExportKind, ExportSource
from yushu_gov.input.labels import OWN_POLICE_STATION
from yushu_gov.input.months import SHANGHAI, period_bounds

from .models import MonthlyTalk

LEDGER_HEADERS = [
    SERIAL_NUMBER,
    TALK_DATE,
    TALK_TIME,
    STREET_LABEL,
    COMMUNITY_LABEL,
    TALK_SUBJECT,
    POLICE_NUMBER,
    OWN_POLICE_STATION,
    TALKER,
    TALKER_POSITION,
    TALK_PLACE,
    TALK_TOPICS,
    TALK_CONTENT,
    OFFICER_THOUGHTS,
    FOLLOW_UP,
    RECORDED_BY,
]


def _talks(*, user, year: int, street=None):
    """The year's talks of `street` (or of every street in the user's scope), in the street's order and by time."""
    start, end = period_bounds(year)
    talks = (
        MonthlyTalk.objects.visible_to(user)
        .alive()
        .filter(held_at__gte=start, held_at__lt=end)
        .select_related("officer__station", "community__street", "recorded_by")
        .order_by("community__street__sort_order", "held_at", "id")
    )
    if street is not None:
        talks = talks.filter(community__street=street)
    return talks


def _rows(talks):
    for index, talk in enumerate(talks.iterator(chunk_size=2000), start=1):
        local = talk.held_at.astimezone(SHANGHAI)
        yield [
            index,
            local.date(),
            f"{local:%H:%M}",
            talk.community.street.name,
            talk.community.name,
            talk.officer.name,
            talk.officer.police_number,
            talk.officer.station.name,
            talk.talker_name,
            talk.get_talker_role_display(),
            talk.place,
            "、".join(talk.topic_labels),
            talk.content,
            talk.officer_views,
            talk.follow_up,
            str(talk.recorded_by),
        ]


def talk_ledger_source(user, params) -> ExportSource:
    """`params`: the year and, optionally, a street of the user's scope (as the talk grid's filter gave them;
    the view validated them, and the scope is applied again here)."""
    year = int(params["year"])
    street = Street.objects.visible_to(user).filter(pk=params.get("street") or None).first()
    talks = _talks(user=user, year=year, street=street)
    scope = street.name if street else _("全市")
    return ExportSource(
        title=_("%(year)s年谈心谈话记录台账") % {"year": year},
        headers=LEDGER_HEADERS,
        rows=_rows(talks),
        total=talks.count(),
        filename=_("谈心谈话记录台账_%(scope)s_%(year)s.xlsx") % {"scope": scope, "year": year},
        column_widths=[6, 12, 8, 12, 14, 16, 10, 14, 12, 16, 16, 24, 40, 30, 30, 16],
        filters={"year": year, "street": street.name if street else ""},
    )


EXPORT = ExportKind(
    name="talks.ledger", permission="talk.export", title=gettext_lazy("谈心谈话记录台账"), build=talk_ledger_source
)

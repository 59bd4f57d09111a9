"""The talk ledger (谈心谈话记录台账) as .xlsx: one row per talk of a year, in the user's scope, written in the
background (yushu_gov/documents/export_jobs.py) from talks read 2,000 at a time."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Street
from yushu_gov.documents.export_jobs import ExportKind, ExportSource
from yushu_gov.input.months import SHANGHAI, period_bounds

from .models import MonthlyTalk

LEDGER_HEADERS = [
    gettext_lazy("序号"),
    gettext_lazy("谈话日期"),
    gettext_lazy("谈话时间"),
    gettext_lazy("街道"),
    gettext_lazy("社区"),
    gettext_lazy("谈话对象"),
    gettext_lazy("警号"),
    gettext_lazy("所属派出所"),
    gettext_lazy("谈话人"),
    gettext_lazy("谈话人职务"),
    gettext_lazy("谈话地点"),
    gettext_lazy("谈话议题"),
    gettext_lazy("谈话主要内容"),
    gettext_lazy("民警思想状况及意见建议"),
    gettext_lazy("跟进措施"),
    gettext_lazy("记录人"),
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

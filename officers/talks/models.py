"""Monthly talks (谈心谈话, DOMAIN.md §4.3): the street party working committee talks with every serving
officer at least once each calendar month (months counted in Asia/Shanghai time)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.messages import AREA_LABEL, COMMUNITY_LABEL, STREET_LABEL, UPDATED_AT, YEAR_LABEL
from communities.models import AreaMonth, Community, Street, month_key_constraints
from officers.messages import CONCURRENT_COMMUNITY, CREATED_AT, OFFICER_LABEL, OTHER_LABEL
from officers.models import Officer
from officers.talks.messages import (
    DELETION_REASON,
    FOLLOW_UP,
    OFFICER_THOUGHTS,
    OTHER_TOPICS,
    PARTY_BUILDING,
    RECORDED_BY,
    SAFETY_BUILDING,
    SECURITY_CONTROL,
    SOCIAL_STABILITY,
    TALK_CONTENT,
    TALK_PLACE,
    TALK_SUBJECT,
    TALK_TIME,
    TALKER,
    TALKER_POSITION,
)
from yushu_gov.access.rights import CommunityOfficerQuerySet
from yushu_gov.input.constraints import ConstraintFields
from yushu_gov.input.labels import MONTH_LABEL
from yushu_gov.security import limits


def talk_time_errors(held_at) -> dict:
    """A talk is recorded once it has been held: {field: message} when `held_at` falls on a later day or
    later today (the forms' date and time fields), {} otherwise."""
    if timezone.localtime(held_at).date() > timezone.localdate():
        return {"held_on": _("谈话日期不能晚于今天。")}
    if held_at > timezone.now():
        return {"held_time": _("谈话时间不能晚于现在。")}
    return {}


class MonthlyTalkQuerySet(CommunityOfficerQuerySet):
    """City administrators and the bureau see every talk; street staff the talks held in their street;
    station leaders the talks with their station's officers."""

    def alive(self):
        """Talks that have not been deleted (deleting is a soft delete kept in the audit log)."""
        return self.filter(deleted_at__isnull=True)


class MonthlyTalk(ConstraintFields, models.Model):
    """One talk of the street committee with a serving officer (谈心谈话记录)."""

    class TalkerRole(models.TextChoices):
        SECRETARY = "secretary", _("街道党工委书记")
        DEPUTY_SECRETARY = "deputy_secretary", _("街道党工委副书记")
        MEMBER = "member", _("街道党工委委员")

    # Topic fields and their labels, in the order of DOMAIN.md §4.3 (one or more per talk).
    TOPICS = {
        "topic_party_building": PARTY_BUILDING,
        "topic_safety": SAFETY_BUILDING,
        "topic_stability": SOCIAL_STABILITY,
        "topic_public_order": SECURITY_CONTROL,
        "topic_other": OTHER_LABEL,
    }

    officer = models.ForeignKey(Officer, verbose_name=TALK_SUBJECT, on_delete=models.PROTECT, related_name="talks")
    community = models.ForeignKey(
        Community,
        verbose_name=CONCURRENT_COMMUNITY,
        on_delete=models.PROTECT,
        related_name="talks",
        help_text=_("谈话当日民警兼任副书记的社区；其所属街道即组织谈话的街道。"),
    )
    held_at = models.DateTimeField(TALK_TIME, db_index=True)
    place = models.CharField(TALK_PLACE, max_length=100)
    talker_name = models.CharField(TALKER, max_length=30)
    talker_role = models.CharField(TALKER_POSITION, max_length=20, choices=TalkerRole.choices)
    topic_party_building = models.BooleanField(PARTY_BUILDING, default=False)
    topic_safety = models.BooleanField(SAFETY_BUILDING, default=False)
    topic_stability = models.BooleanField(SOCIAL_STABILITY, default=False)
    topic_public_order = models.BooleanField(SECURITY_CONTROL, default=False)
    topic_other = models.BooleanField(OTHER_LABEL, default=False)
    other_topic = models.CharField(OTHER_TOPICS, max_length=100, blank=True)
    content = models.TextField(TALK_CONTENT, validators=[MaxLengthValidator(limits.TALK_CONTENT)])
    officer_views = models.TextField(OFFICER_THOUGHTS, blank=True, validators=[MaxLengthValidator(limits.TALK_NOTE)])
    follow_up = models.TextField(FOLLOW_UP, blank=True, validators=[MaxLengthValidator(limits.TALK_NOTE)])
    recorded_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=RECORDED_BY, on_delete=models.PROTECT, related_name="+"
    )
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("删除人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delete_reason = models.CharField(DELETION_REASON, max_length=200, blank=True)
    created_at = models.DateTimeField(CREATED_AT, auto_now_add=True)
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    objects = MonthlyTalkQuerySet.as_manager()

    # "topics" is the forms' one field for the five topic check boxes.
    CONSTRAINT_FIELDS = {"talk_has_a_topic": "topics", "talk_other_topic_named": "other_topic"}

    class Meta:
        verbose_name = verbose_name_plural = _("谈心谈话记录")
        ordering = ["-held_at", "-id"]
        indexes = [
            models.Index(fields=["officer", "held_at"], name="talk_officer_held_at"),
            # The list's pages, newest first, in index order: all talks, and one community's (a street's).
            models.Index(fields=["held_at", "id"], name="talk_held_at_id"),
            models.Index(fields=["community", "held_at", "id"], name="talk_community_held_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic_party_building=True)
                | Q(topic_safety=True)
                | Q(topic_stability=True)
                | Q(topic_public_order=True)
                | Q(topic_other=True),
                name="talk_has_a_topic",
                violation_error_message=_("请至少选择一项谈话议题。"),
            ),
            models.CheckConstraint(
                condition=Q(topic_other=False) | ~Q(other_topic=""),
                name="talk_other_topic_named",
                violation_error_message=_("选择“其他”议题时请填写议题内容。"),
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | (Q(deleted_by__isnull=False) & ~Q(delete_reason="")),
                name="deleted_talk_has_actor_and_reason",
                violation_error_message=_("删除谈话记录须记录删除人和删除原因。"),
            ),
        ]

    def __str__(self):
        return f"{self.officer.name} · {timezone.localtime(self.held_at):%Y-%m-%d}"

    @property
    def held_on(self):
        """The talk's date in Asia/Shanghai."""
        return timezone.localtime(self.held_at).date()

    @property
    def topic_labels(self) -> list[str]:
        labels = [str(label) for field, label in self.TOPICS.items() if getattr(self, field)]
        if self.topic_other and self.other_topic:
            labels[-1] = f"{labels[-1]}（{self.other_topic}）"
        return labels


class TalkMonth(models.Model):
    """The live talks of one community, one officer and one calendar month (Asia/Shanghai), counted: what the
    compliance grid reads, so that its cost follows officers × months, not talks. Kept by the talk services in
    their transaction (officers/talks/counts.py); `manage.py rebuild_summaries` recounts it."""

    community = models.ForeignKey(Community, verbose_name=COMMUNITY_LABEL, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, verbose_name=OFFICER_LABEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(YEAR_LABEL)
    month = models.PositiveSmallIntegerField(MONTH_LABEL)
    talks = models.IntegerField(_("谈心谈话次数"), default=0)

    objects = CommunityOfficerQuerySet.as_manager()

    KEY_FIELDS = ("community_id", "officer_id", "year", "month")
    COUNT_FIELDS = ("talks",)

    class Meta:
        verbose_name = _("谈心谈话月度统计")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["community", "officer", "year", "month"],
            unique="one_talk_month_per_community_officer",
            check="talk_month_1_to_12",
            message=_("该社区该民警该月的谈话统计已存在。"),
        )
        indexes = [models.Index(fields=["year", "community"], name="talk_month_year_community_idx")]

    def __str__(self):
        return f"{self.community_id} · {self.officer_id} · {self.year}-{self.month:02d}: {self.talks}"


class TalkCounts(models.Model):
    """What the talk compliance of the monthly rule is counted from, per calendar month, for the officers of a
    street (or of every street below an area), each officer counted once per street whatever the number of his
    communities there: how many began serving in the month (`arrived`), how many serve no more from the month on
    (`departed`: their term ended the month before), how many had at least one talk in it (`held`), and how many
    of those served in it (`held_serving`). The officers serving in a month are the arrivals less the departures
    up to it; so the rows do not depend on today's date, and today only decides which months are due."""

    arrived = models.IntegerField(_("到任民警数"), default=0)
    departed = models.IntegerField(_("离任民警数"), default=0)
    held = models.IntegerField(_("已谈话民警数"), default=0)
    held_serving = models.IntegerField(_("在任且已谈话民警数"), default=0)

    COUNT_FIELDS = ("arrived", "departed", "held", "held_serving")

    class Meta:
        abstract = True


class StreetTalkMonth(TalkCounts):
    """The talk counts of one street and one calendar month (TalkCounts): what the grid's summary, the home
    pages and the dashboards of the organisation tree read, so that their cost follows streets × months, not
    officers. Kept in the transaction of the talk and appointment services (officers/talks/rollup.py); recounted
    by `manage.py rebuild_summaries` and whenever the tree changes shape."""

    street = models.ForeignKey(Street, verbose_name=STREET_LABEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(YEAR_LABEL)
    month = models.PositiveSmallIntegerField(MONTH_LABEL)

    KEY_FIELDS = ("street_id", "year", "month")

    class Meta:
        verbose_name = _("谈心谈话街道月度汇总")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["street", "year", "month"],
            unique="one_talk_month_per_street",
            check="street_talk_month_1_to_12",
            message=_("该街道该月的谈话汇总已存在。"),
        )

    def __str__(self):
        return f"{self.street_id} · {self.year}-{self.month:02d}"


class AreaTalkMonth(AreaMonth, TalkCounts):
    """The same counts rolled up per area of the organisation tree and calendar month: every area above a street
    holds the sum of the streets below it (a node's dashboard reads its own twelve rows a year). Kept with
    StreetTalkMonth, in the same transaction."""

    class Meta:
        verbose_name = _("谈心谈话区域月度汇总")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["area", "year", "month"],
            unique="one_talk_month_per_area",
            check="area_talk_month_1_to_12",
            message=_("该区域该月的谈话汇总已存在。"),
        )

    def __str__(self):
        return f"{self.area_id} · {self.year}-{self.month:02d}"


DEFAULT_EVERY_MONTHS = 1  # a talk every calendar month (DOMAIN.md §4.3)


class TalkRule(ConstraintFields, models.Model):
    """How often the street committee talks with each serving officer, set by an administrator for his level
    of the organisation tree (issue 20): every month (the default), or once every 2 to 6 months, the periods
    counted from January (every 3: January–March, April–June, …). A level's row applies to its area and below
    unless a lower level sets its own (communities/settings_tree.py); the row with no area is the deployment's
    default; without any row, every month."""

    area = models.ForeignKey(
        "communities.Area",
        verbose_name=AREA_LABEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talk_rules",
        help_text=_("设置该频次的层级；空表示系统默认。"),
    )
    every_months = models.PositiveSmallIntegerField(
        _("谈话频次（每几个月一次）"),
        default=DEFAULT_EVERY_MONTHS,
        help_text=_("1 表示每月谈话一次；3 表示每季度一次（1–3月、4–6月……各谈一次），从1月起算。"),
    )
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    CONSTRAINT_FIELDS = {"talk_rule_every_1_to_6_months": "every_months"}

    class Meta:
        verbose_name = verbose_name_plural = _("谈心谈话频次")
        constraints = [
            # One row per level, the deployment's default (no area) included: NULLs are distinct in a plain one.
            models.UniqueConstraint(
                Coalesce("area", Value(0)),
                name="one_talk_rule_per_area",
                violation_error_message=_("该层级已设置谈话频次。"),
            ),
            models.CheckConstraint(
                condition=Q(every_months__gte=1, every_months__lte=6),
                name="talk_rule_every_1_to_6_months",
                violation_error_message=_("谈话频次须为每1至6个月一次。"),
            ),
        ]

    def __str__(self):
        return _("每%(n)s个月谈话一次") % {"n": self.every_months}


def period_start(month: int, every_months: int) -> int:
    """The first month of the period (of `every_months` months, counted from January) that `month` lies in: the
    month whose talk is due for it."""
    return month - (month - 1) % every_months

"""Monthly talks (谈心谈话, DOMAIN.md §4.3): the street party working committee talks with every serving
officer at least once each calendar month (months counted in Asia/Shanghai time)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from officers.models import Officer
from yushu_gov.access.rights import CommunityOfficerQuerySet
from yushu_gov.input.constraints import ConstraintFields
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
        "topic_party_building": _("社区基层党建"),
        "topic_safety": _("平安建设"),
        "topic_stability": _("社会维稳"),
        "topic_public_order": _("治安防控"),
        "topic_other": _("其他"),
    }

    officer = models.ForeignKey(Officer, verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="talks")
    community = models.ForeignKey(
        Community,
        verbose_name=_("兼任社区"),
        on_delete=models.PROTECT,
        related_name="talks",
        help_text=_("谈话当日民警兼任副书记的社区；其所属街道即组织谈话的街道。"),
    )
    held_at = models.DateTimeField(_("谈话时间"), db_index=True)
    place = models.CharField(_("谈话地点"), max_length=100)
    talker_name = models.CharField(_("谈话人"), max_length=30)
    talker_role = models.CharField(_("谈话人职务"), max_length=20, choices=TalkerRole.choices)
    topic_party_building = models.BooleanField(_("社区基层党建"), default=False)
    topic_safety = models.BooleanField(_("平安建设"), default=False)
    topic_stability = models.BooleanField(_("社会维稳"), default=False)
    topic_public_order = models.BooleanField(_("治安防控"), default=False)
    topic_other = models.BooleanField(_("其他"), default=False)
    other_topic = models.CharField(_("其他议题"), max_length=100, blank=True)
    content = models.TextField(_("谈话主要内容"), validators=[MaxLengthValidator(limits.TALK_CONTENT)])
    officer_views = models.TextField(
        _("民警思想状况及意见建议"), blank=True, validators=[MaxLengthValidator(limits.TALK_NOTE)]
    )
    follow_up = models.TextField(_("跟进措施"), blank=True, validators=[MaxLengthValidator(limits.TALK_NOTE)])
    recorded_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("删除人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delete_reason = models.CharField(_("删除原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

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

    community = models.ForeignKey(Community, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, verbose_name=_("民警"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    talks = models.IntegerField(_("谈心谈话次数"), default=0)

    objects = CommunityOfficerQuerySet.as_manager()

    KEY_FIELDS = ("community_id", "officer_id", "year", "month")
    COUNT_FIELDS = ("talks",)

    class Meta:
        verbose_name = _("谈心谈话月度统计")
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["community", "officer", "year", "month"],
                name="one_talk_month_per_community_officer",
                violation_error_message=_("该社区该民警该月的谈话统计已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="talk_month_1_to_12",
                violation_error_message=_("月份应为1至12。"),
            ),
        ]
        indexes = [models.Index(fields=["year", "community"], name="talk_month_year_community_idx")]

    def __str__(self):
        return f"{self.community_id} · {self.officer_id} · {self.year}-{self.month:02d}: {self.talks}"

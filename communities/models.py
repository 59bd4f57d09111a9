"""Reference data: the streets, their communities, and the police stations (DOMAIN.md §2).

These are data that administrators edit, not choices fixed in code. Names that no public source confirms
are seeded with `name_confirmed=False` and shown with the badge 名称待核实 until an administrator confirms them.
"""

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from communities.messages import (
    AREA_LABEL,
    CODE_LABEL,
    COMMUNITY_LABEL,
    ENTERED_BY,
    MONTH_OUT_OF_RANGE,
    NAME_VERIFIED,
    NAME_VERIFIED_HELP,
    POLICE_STATION,
    POSITION_LABEL,
    SORT_ORDER,
    STREET_LABEL,
    UPDATED_AT,
    YEAR_LABEL,
)
from yushu_gov.access.rights import scoped
from yushu_gov.input.labels import INCIDENT_COUNT, KIND_LABEL, MONTH_LABEL, NAME_OF_THING, OWN_STREET, PERSON_NAME
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR
from yushu_gov.input.pinyin import pinyin_key
from yushu_gov.input.validators import TIBETAN_HELP, validate_tibetan

CODE_HELP = _("稳定的内部编码，用于导入和参考数据加载；名称可以修改。")
# The police-call constraint's message, which the entry form shows too.
NEGATIVE_POLICE_CALLS = _("警情接报数不能为负数。")
AREA_NAME_TAKEN = _("同一上级下已有同名的区域。")


# The organisation tree (DOMAIN.md §2): areas of any depth — a province, a prefecture (州), a city or county
# (市/县) — each with its public security bureau; under an area its streets and towns (Street), and under those
# the communities. Depth is data: an area's `path` is its ancestors' ids and its own, each followed by a dot
# ("1.5.12."), so "everything under this area" is one indexed prefix match (`path__startswith`), and an area's
# ancestors are read from its path without a query.
PATH_SEPARATOR = "."


class AreaQuerySet(models.QuerySet):
    def under(self, area):
        """The area and every area below it."""
        return self.filter(path__startswith=area.path)

    def visible_to(self, user):
        """An administrator or a bureau reviewer bound to an area sees it and what lies below it; one bound to
        none (the deployment's) all; street staff and station leaders the areas their street or station lies in
        (for the level switch), a police deputy secretary none."""
        return scoped(
            self,
            user,
            area=lambda area_path: Q(path__startswith=area_path),
            street=lambda streets: Exists(
                Street.objects.filter(pk__in=streets, area__path__startswith=OuterRef("path"))
            ),
            station=lambda station_id: Exists(
                PoliceStation.objects.filter(pk=station_id, area__path__startswith=OuterRef("path"))
            ),
        )


class Area(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("州")
        CITY = "city", _("市")
        COUNTY = "county", _("县")

    code = models.SlugField(CODE_LABEL, max_length=40, unique=True, help_text=CODE_HELP)
    name = models.CharField(NAME_OF_THING, max_length=50)
    kind = models.CharField(_("级别"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Kept by area_create and area_move (communities/services.py), which rewrites a moved subtree's paths.
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), editable=False)
    bureau_name = models.CharField(_("公安局名称"), max_length=50, blank=True)
    name_confirmed = models.BooleanField(NAME_VERIFIED, default=True, help_text=NAME_VERIFIED_HELP)
    sort_order = models.PositiveSmallIntegerField(SORT_ORDER, default=0)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = AREA_LABEL
        ordering = ["depth", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="one_area_name_per_parent",
                violation_error_message=AREA_NAME_TAKEN,
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def bureau(self) -> str:
        return self.bureau_name or f"{self.name}公安局"

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids of the areas above this one, from the top, read from the path."""
        return [int(part) for part in self.path.split(PATH_SEPARATOR)[:-2]]


def subtree_of(areas, path_field: str) -> Case:
    """An expression for the rows of a query (a community, a work month, a request): the id of the area among
    `areas` (siblings, a page of a node's children) whose subtree holds the row, or null. `path_field` leads
    from the row to its area's path, e.g. "community__street__area__path". One CASE of prefix matches, so a
    query can group by a node's children at any depth below them."""
    return Case(
        *[When(**{f"{path_field}__startswith": area.path}, then=Value(area.pk)) for area in areas],
        default=Value(None),
        output_field=models.IntegerField(),
    )


class StreetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The streets in the user's scope: those with a community the user sees (a police deputy secretary:
        the street of the community he serves)."""
        return self.filter(Exists(Community.objects.visible_to(user).filter(street=OuterRef("pk"))))

    def under(self, area):
        """The streets and towns of the area and of every area below it."""
        return self.under_path(area.path)

    def under_path(self, path: str):
        return self.filter(area__path__startswith=path)


class Street(models.Model):
    class Kind(models.TextChoices):
        STREET = "street", STREET_LABEL
        TOWN = "town", _("乡镇")

    code = models.SlugField(CODE_LABEL, max_length=40, unique=True, help_text=CODE_HELP)
    name = models.CharField(_("街道名称"), max_length=50, unique=True)
    area = models.ForeignKey(
        Area, verbose_name=_("所属市县"), on_delete=models.PROTECT, related_name="streets",
        help_text=_("街道或乡镇所属的市或县。"),
    )  # fmt: skip
    kind = models.CharField(
        KIND_LABEL, max_length=20, choices=Kind.choices, default=Kind.STREET, db_default=Kind.STREET
    )
    name_confirmed = models.BooleanField(NAME_VERIFIED, default=True, db_default=True, help_text=NAME_VERIFIED_HELP)
    committee_name = models.CharField(_("街道党工委名称"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(SORT_ORDER, default=0)

    objects = StreetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = STREET_LABEL
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def committee(self) -> str:
        return self.committee_name or f"{self.name}党工委"


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Street staff see their street's communities, station leaders those of the streets their station
        serves, a police deputy secretary the community he serves now (through the seats' reverse relation:
        this floor imports nothing of the seats), city administrators and the bureau all."""
        return scoped(
            self,
            user,
            street=lambda streets: Q(street_id__in=streets),
            station=lambda station_id: Q(street__stations__id=station_id),
            officer=lambda officer_id: Q(appointments__officer_id=officer_id, appointments__status="serving"),
        )


class Community(models.Model):
    class Kind(models.TextChoices):
        URBAN = "urban", _("城市社区")
        RELOCATION = "relocation", _("移民搬迁社区")

    code = models.SlugField(CODE_LABEL, max_length=40, unique=True, help_text=CODE_HELP)
    name = models.CharField(_("社区名称"), max_length=50, unique=True)
    name_bo = models.CharField(
        _("藏文名称"), max_length=100, blank=True, default="", db_default="", validators=[validate_tibetan],
        help_text=TIBETAN_HELP,
    )  # fmt: skip
    # db_default: rows written by code older than these columns (a rolling deployment) still insert.
    # "xinjianlushequ xjlsq": the name's pinyin and initials for search (residents type either), kept with the name.
    name_pinyin = models.CharField(
        _("名称拼音"), max_length=200, blank=True, default="", db_default="", editable=False, db_index=True
    )
    street = models.ForeignKey(Street, verbose_name=OWN_STREET, on_delete=models.PROTECT, related_name="communities")
    kind = models.CharField(_("社区类型"), max_length=20, choices=Kind.choices, default=Kind.URBAN)
    name_confirmed = models.BooleanField(NAME_VERIFIED, default=True, help_text=NAME_VERIFIED_HELP)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    branch_posts = models.PositiveSmallIntegerField(
        _("支部班子职数"), default=5, help_text=_("社区党支部班子的核定职数；席位制兼任的党员民警副书记不占职数。")
    )
    sort_order = models.PositiveSmallIntegerField(SORT_ORDER, default=0)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = COMMUNITY_LABEL
        ordering = ["street__sort_order", "sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A column derived from the name, written with it (the admin site and the reference data both save here).
        self.name_pinyin = pinyin_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_pinyin"}
        super().save(*args, **kwargs)


class PoliceStationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A police deputy secretary has no page on stations: no condition, he sees none."""
        return scoped(
            self,
            user,
            area=lambda area_path: Q(area__path__startswith=area_path),
            street=lambda streets: Q(streets__id__in=streets),
            station=lambda station_id: Q(id=station_id),
        )


class PoliceStation(models.Model):
    code = models.SlugField(CODE_LABEL, max_length=40, unique=True, help_text=CODE_HELP)
    name = models.CharField(_("派出所名称"), max_length=50, unique=True)
    area = models.ForeignKey(
        Area, verbose_name=_("所属公安局"), on_delete=models.PROTECT, related_name="stations",
        help_text=_("派出所隶属的市、县公安局（按其市县）。"),
    )  # fmt: skip
    name_confirmed = models.BooleanField(NAME_VERIFIED, default=True, help_text=NAME_VERIFIED_HELP)
    streets = models.ManyToManyField(Street, verbose_name=_("辖区街道"), blank=True, related_name="stations")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("值班电话"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(SORT_ORDER, default=0)

    objects = PoliceStationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = POLICE_STATION
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class BranchMember(models.Model):
    """A member of a community party branch's committee (支部委员会). The police deputy secretary is not
    one of them: under the seat system they hold a seat, not a post, and are shown beside the committee."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("书记")
        DEPUTY = "deputy", _("副书记")
        MEMBER = "member", _("委员")

    community = models.ForeignKey(
        Community, verbose_name=COMMUNITY_LABEL, on_delete=models.CASCADE, related_name="branch_members"
    )
    name = models.CharField(PERSON_NAME, max_length=30)
    post = models.CharField(POSITION_LABEL, max_length=20, choices=Post.choices)
    duties = models.CharField(_("分工"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(SORT_ORDER, default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("支部委员")
        ordering = ["community", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(post="secretary"),
                name="one_branch_secretary_per_community",
                violation_error_message=_("一个社区党支部只有一名书记。"),
            )
        ]

    def __str__(self):
        return f"{self.community.name} · {self.get_post_display()} {self.name}"


# Police calls received (警情接报数, DOMAIN.md §4.4): per community per month, from the bureau.


class PoliceCallCountQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A police deputy secretary does not read the bureau's figures: no condition, he sees none."""
        return scoped(
            self,
            user,
            street=lambda streets: Q(community__street_id__in=streets),
            station=lambda station_id: Q(community__street__stations__id=station_id),
        )


class PoliceCallCount(models.Model):
    """The number of police calls received in one community in one calendar month."""

    community = models.ForeignKey(
        Community, verbose_name=COMMUNITY_LABEL, on_delete=models.PROTECT, related_name="police_call_counts"
    )
    year = models.PositiveSmallIntegerField(YEAR_LABEL)
    month = models.PositiveSmallIntegerField(MONTH_LABEL)
    count = models.IntegerField(INCIDENT_COUNT)
    updated_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=ENTERED_BY, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    objects = PoliceCallCountQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = INCIDENT_COUNT
        ordering = ["-year", "-month", "community__street__sort_order", "community__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "month"],
                name="one_police_call_count_per_community_month",
                violation_error_message=_("该社区该月的警情接报数已录入。"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="police_call_count_month_1_to_12",
                violation_error_message=MONTH_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="police_call_count_year_in_range",
                violation_error_message=_("年份应在2000至2100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0),
                name="police_call_count_not_negative",
                violation_error_message=NEGATIVE_POLICE_CALLS,
            ),
        ]

    def __str__(self):
        return f"{self.community.name} {self.year}年{self.month}月：{self.count}"


def month_key_constraints(fields: list[str], *, unique: str, check: str, message) -> list[models.BaseConstraint]:
    """The two rules of a table keyed by calendar month (the counter tables and their roll-ups): one row per key,
    with its own message, and a month from 1 to 12."""
    return [
        models.UniqueConstraint(fields=fields, name=unique, violation_error_message=message),
        models.CheckConstraint(
            condition=Q(month__gte=1) & Q(month__lte=12), name=check, violation_error_message=MONTH_OUT_OF_RANGE
        ),
    ]


class AreaRollupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The roll-ups of the areas the user sees (a county's administrator: his county's and below)."""
        return self.filter(area__in=Area.objects.visible_to(user))

    def of_own_node(self, user):
        """The rows that sum up the whole scope of a user standing on a node of the tree (an administrator or a
        bureau reviewer): his area's, or the roots' for one bound to none. A dozen rows a year."""
        area_id = getattr(user, "area_id", None)
        return self.filter(area_id=area_id) if area_id else self.filter(area__parent__isnull=True)


class AreaMonth(models.Model):
    """The key of a roll-up up the tree: an area and a calendar month (AreaCallMonth, ledger.AreaWorkMonth)."""

    area = models.ForeignKey(Area, verbose_name=AREA_LABEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(YEAR_LABEL)
    month = models.PositiveSmallIntegerField(MONTH_LABEL)

    objects = AreaRollupQuerySet.as_manager()

    KEY_FIELDS = ("area_id", "year", "month")

    class Meta:
        abstract = True


class AreaCallMonth(AreaMonth):
    """The police-call figures rolled up per area of the organisation tree and calendar month: every area above
    a community holds the sum of the communities below it, how many of them have a figure (`figures`, for the
    to-do of months not complete), and, for the year-on-year change, the part of the
    month's figures whose community also has one for the same month a year earlier (`compared`), with those
    earlier figures (`compared_before`) and how many community-months they are. What a node's dashboard reads for
    its children, so that its cost follows children × months. Kept by the police-call services in their
    transaction (communities/counts.py); recounted by `manage.py rebuild_summaries` and when the tree changes."""

    calls = models.BigIntegerField(INCIDENT_COUNT, default=0)
    figures = models.IntegerField(_("已录入的社区数"), default=0)
    compared = models.BigIntegerField(_("可同比的警情数"), default=0)
    compared_before = models.BigIntegerField(_("上年同期警情数"), default=0)
    compared_months = models.IntegerField(_("可同比的社区月数"), default=0)

    COUNT_FIELDS = ("calls", "figures", "compared", "compared_before", "compared_months")

    class Meta:
        verbose_name = _("警情区域月度汇总")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["area", "year", "month"],
            unique="one_call_month_per_area",
            check="area_call_month_1_to_12",
            message=_("该区域该月的警情汇总已存在。"),
        )

    def __str__(self):
        return f"{self.area_id} · {self.year}-{self.month:02d}: {self.calls}"

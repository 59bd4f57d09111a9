"""The messages this app gives in more than one place, written once."""

from django.utils.translation import gettext_lazy as _

COMMUNITY_LABEL = _("社区")
YEAR_LABEL = _("年份")
CODE_LABEL = _("编码")
SORT_ORDER = _("排序")
STREET_LABEL = _("街道")
NAME_VERIFIED = _("名称已核实")
POLICE_STATION = _("派出所")
POSITION_LABEL = _("职务")
UPDATED_AT = _("更新时间")
NAME_VERIFIED_HELP = _("未核实的名称在页面上显示“名称待核实”标记。")
ENTERED_BY = _("录入人")
MONTH_OUT_OF_RANGE = _("月份应为1至12。")
AREA_LABEL = _("行政区域")

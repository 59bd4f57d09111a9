"""The names and messages that several apps or kernel wings share, said once: a model that has a "使用时间" or a
"失效时间", an export column, a filter label or a menu entry imports its wording from here, so the catalogue holds
each message once and a change of wording reaches every place that uses it. (An app's own repeated messages live
in its messages.py.)"""

from django.utils.translation import gettext_lazy as _

USED_AT = _("使用时间")
EXPIRES_AT = _("失效时间")

PERSON_NAME = _("姓名")
USER_LABEL = _("用户")
NAME_OF_THING = _("名称")
KIND_LABEL = _("类型")
OWN_STREET = _("所属街道")
OWN_POLICE_STATION = _("所属派出所")
ACTION_LABEL = _("操作")
FROM_DATE = _("起始日期")
UNTIL_DATE = _("截止日期")
REASON = _("原因")
FILTER_CONDITIONS = _("筛选条件")
NOTE_LABEL = _("说明")
ROLE_LABEL = _("角色")
MONTH_LABEL = _("月份")
TIME_LABEL = _("时间")
OBJECT_LABEL = _("对象")
CHANGES = _("变更内容")
IP_ADDRESS = _("IP 地址")
AUDIT_LOG = _("审计日志")
OBJECT_TYPE = _("对象类型")
STATUS_LABEL = _("状态")
SUBMITTED_AT = _("提交时间")
OFFICER_SEARCH_HINT = _("姓名、拼音或警号")
COMMUNITY_SEARCH_HINT = _("社区名称或拼音")
SITE_TITLE = _("玉树市党员民警兼任社区党支部副书记管理系统")
ROLES_AND_SCOPES = _("角色与范围")
PARTY_OFFICERS = _("党员民警")
MONTHLY_TALKS = _("谈心谈话")
WORK_LEDGER = _("工作台账")
RESIDENT_REQUESTS = _("群众诉求")
INCIDENT_COUNT = _("警情接报数")
DUAL_ASSESSMENT = _("双述职双考核")

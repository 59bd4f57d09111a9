"""The messages this app gives in more than one place, written once."""

from django.utils.translation import gettext_lazy as _

CATEGORY_LABEL = _("类别")
RESPONSIBLE_OFFICER = _("负责民警")
REQUEST_CONTENT = _("诉求内容")
RESPONSE_DUE = _("响应期限")
RESPONDED_AT = _("响应时间")
RESOLUTION_DUE = _("办结期限")
RESOLVED_AT = _("办结时间")
REPLY_LABEL = _("答复")
RATING_LABEL = _("评价")
SUPERVISED_LABEL = _("已督办")
OVERDUE_LABEL = _("已逾期")
TRANSFER_TO_COMMUNITY = _("转入社区")
REQUEST_CATEGORY = _("诉求类别")
PENDING_LABEL = _("待受理")
STREET_HANDLING = _("街道办理")
ACCEPT_ACTION = _("受理")
RESOLVE_ACTION = _("办结答复")

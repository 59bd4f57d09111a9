"""The names of fields that several models share, said once: a model that has a "使用时间" or a "失效时间"
imports its label from here, so the catalogue holds each name once and a change of wording reaches every
model that uses it."""

from django.utils.translation import gettext_lazy as _

USED_AT = _("使用时间")
EXPIRES_AT = _("失效时间")

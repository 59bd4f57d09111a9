"""Messages that a form and a service of the assessments both give, written once."""

from django.utils.translation import gettext_lazy as _

# A duty report that was held needs its text or its file (the report form checks it, the service refuses it).
REPORT_CONTENT_MISSING = _("请填写述职报告内容，或上传报告附件。")

"""Messages that a form and a service of the assessments both give, written once."""

from django.utils.translation import gettext_lazy as _

# A duty report that was held needs its text or its file (the report form checks it, the service refuses it).
REPORT_CONTENT_MISSING = _("请填写述职报告内容，或上传报告附件。")

OVERALL_EVALUATION = _("综合评定")
FINALIZE_STEP = _("审定归档")
DUTY_SCORE = _("履职评分")
WORK_SCORE = _("业务考核得分")
OVERALL_SCORE = _("综合得分")
OVERALL_GRADE = _("综合等次")
COMMENDATION_CANDIDATE = _("评先评优候选")
Q1_ASSESSMENT = _("第一季度平时考核")
Q2_ASSESSMENT = _("第二季度平时考核")
Q3_ASSESSMENT = _("第三季度平时考核")
Q4_ASSESSMENT = _("第四季度平时考核")
DUTY_REPORT_DATE = _("述职日期")
DUTY_REPORT = _("述职报告")
DUTY_REPORT_FILE = _("述职报告附件")
DELETE_UPLOADED_FILE = _("删除已上传的附件")
REVIEW_GRADE = _("评议等次")
ANNUAL_ASSESSMENT = _("年度考核")
PREVIOUS_ATTACHMENT = _("原附件")

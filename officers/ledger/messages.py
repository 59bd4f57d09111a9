"""The messages this app gives in more than one place, written once."""

from django.utils.translation import gettext_lazy as _

ADD_WORK_RECORD = _("录入工作台账")
EDIT_WORK_RECORD = _("修改工作台账")
WORK_KIND = _("工作类型")
WORK_SUMMARY = _("工作内容")
PEOPLE_INVOLVED = _("涉及人数")
HOUSEHOLDS_INVOLVED = _("涉及户数")
LOSS_RECOVERED = _("挽回损失（元）")
DISPUTE_LEVEL = _("纠纷等级")
MEDIATION_RESULT = _("调解结果")
CASE_NUMBER = _("案件编号")
CONDOLENCE_AMOUNT = _("慰问金额（元）")
PRACTICAL_HELP = _("为民办实事/解决实际困难")
DISPUTE_MEDIATION = _("矛盾纠纷调解")
CASE_HANDLING = _("治安案件查处")
PATROLS = _("治安巡逻")
HAZARD_CHECKS = _("隐患排查")
HOME_VISITS = _("入户走访（敲门行动）")
POLICY_PUBLICITY = _("政策宣传")
POVERTY_MONITORING = _("防返贫监测排查")
CONDOLENCE_VISITS = _("帮扶慰问")

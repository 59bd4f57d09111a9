from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    """The open interfaces: Open311 GeoReport v2 over the residents' requests, and the 12345 hotline's work
    orders (partner keys, the stage feed and its webhook)."""

    name = "officers.open311"
    label = "open311"
    verbose_name = _("开放接口（Open311 / 12345工单）")

    def ready(self):
        from officers.resident_requests.stages import on_stage_recorded
        from yushu_gov.audit.log import register_actions
        from yushu_gov.documents.worker import on_worker_start

        from .models import PartnerRequest
        from .services import stage_pushes_resume, stage_recorded

        on_stage_recorded(stage_recorded)
        on_worker_start(stage_pushes_resume)
        register_actions(
            {
                "open311.partnerkey.issued": _("签发接口密钥"),
                "open311.partnerkey.revoked": _("吊销接口密钥"),
                "open311.partnerkey.used": _("使用接口密钥"),
                "open311.partnerkey.refused": _("接口密钥被拒绝"),
                "open311.partnerkey.webhook": _("登记工单推送地址"),
                "open311.partnerrequest.created": _("接口提交诉求"),
            },
            fields={
                "status": _("结果"),
                "external_id": PartnerRequest._meta.get_field("external_id").verbose_name,
                "webhook_url": _("推送地址"),
            },
        )

"""The forms that were sent and saved, by their idempotency key."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yushu_gov.input.constraints import ConstraintFields
from yushu_gov.input.labels import SUBMITTED_AT, USER_LABEL


class FormSubmission(ConstraintFields, models.Model):
    """A form that was sent and saved, by its idempotency key (yushu_gov/input/idempotency.py): the same form sent
    again (a retry on a weak network, a double tap) finds its key here and saves nothing twice."""

    key = models.CharField(_("表单标识"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=USER_LABEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(SUBMITTED_AT, auto_now_add=True, db_index=True)
    result_url = models.CharField(_("结果页面"), max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("已提交的表单")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="one_submission_per_form_key",
                violation_error_message=_("该表单已经提交过。"),
            )
        ]

    def __str__(self):
        return f"{self.user_id} · {self.key}"

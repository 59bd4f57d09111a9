"""The kernel's models, as Django's app registry and the apps read them. Each wing owns its own (accounts,
audit, documents, input); this package only gathers them, so that `from yushu_gov.models import User` and the
app label `yushu_gov` stay as they were. No wing imports this package: a wing imports its own models."""

from yushu_gov.accounts.models import EnrolmentLink, PasswordHistory, RecoveryCode, TOTPDevice, User
from yushu_gov.audit.models import AuditEntry, AuditQuerySet
from yushu_gov.documents.models import ExportJob, export_file_path
from yushu_gov.input.models import FormSubmission
from yushu_gov.notices.models import DevMessage, Notice, NoticeChoice

__all__ = [
    "AuditEntry",
    "AuditQuerySet",
    "DevMessage",
    "ExportJob",
    "FormSubmission",
    "Notice",
    "NoticeChoice",
    "PasswordHistory",
    "RecoveryCode",
    "EnrolmentLink",
    "TOTPDevice",
    "User",
    "export_file_path",
]

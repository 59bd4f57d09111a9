"""Writing the audit log and reading it back. Services call `audit_log(...)` inside their transaction;
`changes_of(...)` builds the changed-fields JSON with personal data masked.

Reading: each app names the actions it writes in Chinese with `register_actions(...)` in its
AppConfig.ready() (the kernel knows no app's actions); `action_label()` and `change_rows()` turn an entry
into what a clerk reads: the action's name, each field's verbose name, choice labels and local times."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yushu_gov.audit.models import AuditEntry
from yushu_gov.input.labels import FILTER_CONDITIONS, MONTH_LABEL, NOTE_LABEL, REASON, ROLE_LABEL, TIME_LABEL
from yushu_gov.security.clients import client_ip
from yushu_gov.security.masking import mask_text, mask_value


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields) -> dict:
    """The named fields' current values, JSON-ready and masked."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name if not field.is_relation else name)
        result[name] = mask_value(name, _plain(value))
    return result


def changes_of(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for every field whose value differs; both sides already masked."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def audit_log(
    *, actor, action: str, obj: models.Model | None = None, changes: dict | None = None, request=None, ip=None
):
    """Appends one entry. `changes` maps a name to [old, new] and must already be masked (use
    snapshot/changes_of); a bare value is stored as [None, value], so that every entry reads the same way.
    `ip`: the client's address when the entry is written outside the request (a background export)."""
    masked = {name: [_mask(name, v) for v in _pair(value)] for name, value in (changes or {}).items()}
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=mask_text(str(obj))[:200] if obj is not None else "",
        changes=masked,
        ip_address=client_ip(request) if request is not None else ip,
    )


def _mask(name: str, value):
    """Personal fields masked by name; any number inside other text masked by its shape."""
    value = mask_value(name, value)
    return mask_text(value) if isinstance(value, str) else value


def audit_export(
    *, actor, what: str, filters: dict | None = None, rows: int | None = None, obj=None, request=None, ip=None
):
    """Records an export or a download: who, what (a dotted name such as "work.export"), with which filter
    and how many rows. Called wherever a file leaves the system (exports, PDFs, uploaded reports)."""
    # Filter values are masked like any text (an ID number typed into a search box never reaches the log).
    changes = {
        "filters": [None, {k: mask_text(str(v))[:200] for k, v in (filters or {}).items() if v not in ("", None)}]
    }
    if rows is not None:
        changes["rows"] = [None, rows]
    return audit_log(actor=actor, action=f"export.{what}", obj=obj, changes=changes, request=request, ip=ip)


def _pair(value) -> list:
    """[old, new] for a change given as a pair, [None, value] for a bare value."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return list(value)
    return [None, value]


# --- Reading the log: the actions' names and the changes as a clerk reads them ----------------------------


@dataclass(frozen=True)
class _Action:
    label: str
    model: type[models.Model] | None  # whose fields the entry's changes name (when not the logged object's)
    fields: Mapping[str, str]  # labels of the names in the changes that are no model field
    anonymous: Callable | None = None  # who acted when no account did (a resident), from the entry


_ACTIONS: dict[str, _Action] = {}
# Names that may appear in any entry's changes without being a field of the logged object.
_COMMON_FIELDS = {
    "reason": REASON,
    "filters": FILTER_CONDITIONS,
    "rows": gettext_lazy("行数"),
    "username": gettext_lazy("用户名"),
    "count": gettext_lazy("数量"),
    "note": NOTE_LABEL,
    "role": ROLE_LABEL,
    "in_time": gettext_lazy("是否按时响应"),
    "rule": gettext_lazy("保存期限规则"),
    "erased": gettext_lazy("已删除的信息"),
    "retention_days": gettext_lazy("保存天数"),
    "operator": gettext_lazy("操作人员"),
    "requests": gettext_lazy("诉求数量"),
    "months": MONTH_LABEL,
    "key": gettext_lazy("加密密钥"),
    "field": gettext_lazy("字段"),
    "record": gettext_lazy("记录"),
    "created": gettext_lazy("新建数量"),
    "replaced": gettext_lazy("替换"),
    "results_to_recombine": gettext_lazy("需重新综合评定的结果"),
    "at": TIME_LABEL,
    # a refused page (yushu_gov/web/middleware.py) and a partner's call of the open interfaces
    "method": gettext_lazy("请求方式"),
    "path": gettext_lazy("访问地址"),
    "endpoint": gettext_lazy("接口"),
}
EXPORT_PREFIX = "export."


def register_actions(
    labels: Mapping[str, str], *, model: type[models.Model] | None = None, fields=None, anonymous=None
) -> None:
    """Names an app's actions (dotted codes such as "officers.talk.recorded") in Chinese. `model`: the model
    whose fields the entries' changes name, when it is not the logged object's (a duty report's fields logged
    on its assessment); `fields`: labels of the other names those changes use; `anonymous(entry)`: who acted
    when no account did (a resident). Called in AppConfig.ready()."""
    for code, label in labels.items():
        _ACTIONS[code] = _Action(label=label, model=model, fields=dict(fields or {}), anonymous=anonymous)


def actor_label(entry, *, full: bool = False) -> str:
    """Who acted, as a clerk reads it: the account (its full name with `full`, else its user name), the
    anonymous actor the action names (a resident: 群众（查询码 …0123）), or "—" (the system itself)."""
    if full and entry.actor_id:
        return str(entry.actor)
    if entry.actor_name:
        return entry.actor_name
    action = _ACTIONS.get(entry.action)
    if action is not None and action.anonymous is not None:
        return action.anonymous(entry)
    return "—"


def action_label(code: str) -> str:
    """The Chinese name of an action; an export not registered by name reads "导出文件（…）"; an unknown
    action keeps its code."""
    action = _ACTIONS.get(code)
    if action is not None:
        return str(action.label)
    admin_label = _admin_action_label(code)
    if admin_label:
        return admin_label
    if code.startswith(EXPORT_PREFIX):
        return _("导出文件（%(what)s）") % {"what": code.removeprefix(EXPORT_PREFIX)}
    return code


_ADMIN_VERBS = {"created": gettext_lazy("新增"), "changed": gettext_lazy("修改"), "deleted": gettext_lazy("删除")}


def _admin_action_label(code: str) -> str:
    """The admin site's entries ("<app>.<model>.created|changed|deleted", admin_mixins.py): the verb and
    the model's verbose name, e.g. 修改社区, for any model of any app."""
    from django.apps import apps

    parts = code.split(".")
    if len(parts) != 3 or parts[2] not in _ADMIN_VERBS:
        return ""
    try:
        model = apps.get_model(parts[0], parts[1])
    except (LookupError, ValueError):
        return ""
    return _("%(verb)s%(model)s（系统管理）") % {"verb": _ADMIN_VERBS[parts[2]], "model": model._meta.verbose_name}


def action_choices() -> list[tuple[str, str]]:
    """The registered actions as (code, label) for a filter's drop-down, in the order of their codes."""
    return sorted(((code, str(action.label)) for code, action in _ACTIONS.items()), key=lambda c: c[0])


@dataclass(frozen=True)
class ChangeRow:
    name: str
    label: str
    old: str
    new: str
    has_old: bool  # a change from a value (old → new), not a value set for the first time


def _field(entry, name: str):
    action = _ACTIONS.get(entry.action)
    models_to_try = [action.model if action else None]
    models_to_try.append(entry.content_type.model_class() if entry.content_type_id else None)
    for model in models_to_try:
        if model is None:
            continue
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def field_label(entry, name: str) -> str:
    """The Chinese label of a name in an entry's changes: the field's verbose name, the label the action
    registered for it, or a common one; the name itself when none is known."""
    field = _field(entry, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    action = _ACTIONS.get(entry.action)
    if action is not None and name in action.fields:
        return str(action.fields[name])
    if name in _COMMON_FIELDS:
        return str(_COMMON_FIELDS[name])
    label = _any_field_label(name)
    return label or name


def _any_field_label(name: str) -> str:
    """The verbose name of a field called `name` in any model of the project (a request step's note logged
    on its request), the first in a fixed order; "" when no model has one."""
    from django.apps import apps

    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if hasattr(field, "verbose_name") and str(field.verbose_name) != name.replace("_", " "):
            return str(field.verbose_name)
    return ""


# A stored file's name (private/requests/2026/….jpg): never shown, only that there is one.
_STORED_FILE = re.compile(r"^[\w.\-]+(/[\w.\-]+)+\.(\w{2,5})$")
_IMAGE_SUFFIXES = {"jpg", "jpeg", "png", "webp", "gif"}
UPLOADED_PHOTO, UPLOADED_FILE = gettext_lazy("已上传照片"), gettext_lazy("已上传文件")


def _stored_file(value: str) -> str:
    match = _STORED_FILE.match(value)
    if match is None:
        return ""
    return str(UPLOADED_PHOTO if match[2].lower() in _IMAGE_SUFFIXES else UPLOADED_FILE)


def _local(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if timezone.is_aware(value) else f"{value:%Y-%m-%d %H:%M}"


def field_value(entry, name: str, value) -> str:
    """A logged value as a clerk reads it: a choice's label, 是/否, a local time instead of an ISO string."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(field_value(entry, name, item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{field_label(entry, key)}={field_value(entry, key, item)}" for key, item in value.items())
    field = _field(entry, name)
    if isinstance(field, models.FileField) or (isinstance(value, str) and _stored_file(value)):
        return _stored_file(str(value)) or str(
            UPLOADED_PHOTO if isinstance(field, models.ImageField) else UPLOADED_FILE
        )
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and "T" in value[:11] and len(value) <= 40:
        try:
            moment = parse_datetime(value)
        except ValueError:  # shaped like a time but not one (2023-13-45T…): shown as it is
            moment = None
        if moment is not None:
            return _local(moment)
    if isinstance(value, str) and isinstance(field, models.DateField) and parse_date(value[:10]):
        return value[:10]
    return str(value)


def change_rows(entry) -> list[ChangeRow]:
    """Every change of an entry, labelled. Old entries that stored a bare value instead of [old, new] read
    as that value set (never split into its first and second characters)."""
    rows = []
    for name, change in (entry.changes or {}).items():
        old, new = _pair(change)
        rows.append(
            ChangeRow(
                name=name,
                label=field_label(entry, name),
                old=field_value(entry, name, old),
                new=field_value(entry, name, new),
                has_old=old is not None,
            )
        )
    return rows

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def field_label(entry, name: str) -> str:
    """The Chinese label of a field named in an audit entry's changes (the name itself if unknown)."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@register.simple_tag
def field_value(entry, name: str, value):
    """A changed value as a clerk reads it: a choice's label, 是/否 for a yes/no field."""
    if value is None or value == "":
        return "—"
    model = entry.content_type.model_class() if entry.content_type_id else None
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        field = None
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value

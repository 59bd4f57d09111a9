from django import template
from django.core.exceptions import FieldDoesNotExist

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

"""An audit entry as a clerk reads it (yushu_gov/audit/log.py): the action's Chinese name and the changed
fields with their labels, choice labels and local times."""

from django import template

from yushu_gov.audit import log as audit

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return audit.action_label(code)


@register.filter
def change_rows(entry) -> list:
    return audit.change_rows(entry)


@register.filter
def field_label(entry, name: str) -> str:
    return audit.field_label(entry, name)


@register.filter
def actor_label(entry, full: bool = False) -> str:
    return audit.actor_label(entry, full=bool(full))

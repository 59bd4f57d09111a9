"""Panels on each role's home page. Apps register theirs in AppConfig.ready(), so the project's shared
part does not depend on the apps (STYLE.md: apps depend on yushu_gov, never the other way round)."""

from collections.abc import Callable
from dataclasses import dataclass

from yushu_gov.access.roles import Role


@dataclass(frozen=True)
class Panel:
    template: str
    roles: frozenset[Role]
    context: Callable  # (request) -> dict
    order: int = 100


_PANELS: list[Panel] = []


def register_panel(*, template: str, roles, context: Callable, order: int = 100) -> None:
    if not any(p.template == template for p in _PANELS):
        _PANELS.append(Panel(template=template, roles=frozenset(roles), context=context, order=order))
        _PANELS.sort(key=lambda p: p.order)


def panels_for(request, role: Role) -> list[dict]:
    return [{"template": p.template, **p.context(request)} for p in _PANELS if role in p.roles]

"""Who is told that a request has new stages (RequestStep rows): the apps above register a listener in their
AppConfig.ready() (the open interfaces push the hotline's work orders to its webhook). The services call
`stage_recorded` after writing a step; the listeners run once the transaction commits, with the request's id,
so a rolled-back step tells no one, and a listener that fails is logged (robust) without failing the officer's
page: the step is saved already."""

from collections.abc import Callable

from django.db import transaction

_LISTENERS: list[Callable[[int], None]] = []


def on_stage_recorded(listener: Callable[[int], None]) -> None:
    """Registers `listener(request_id)` (idempotent: a listener registered twice runs once)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def stage_recorded(request_id: int) -> None:
    """Called by the services in the transaction that wrote a step of the request."""
    for listener in _LISTENERS:
        transaction.on_commit(lambda listener=listener: listener(request_id), robust=True)

"""What the background worker does as it starts, before it takes tasks: the apps register it in their
AppConfig.ready() (the open interfaces put back on the queue the webhook pushes a dead worker left unfinished).
`manage.py db_worker` runs them, after recovering the exports."""

from collections.abc import Callable

_ON_START: list[Callable[[], int]] = []


def on_worker_start(hook: Callable[[], int]) -> None:
    """Registers `hook()`, which returns how many things it put back on the queue (idempotent)."""
    if hook not in _ON_START:
        _ON_START.append(hook)


def worker_start_hooks() -> list[Callable[[], int]]:
    return list(_ON_START)

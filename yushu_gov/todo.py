"""The to-do list (待办) on each role's home page: what waits for this user, each item linking to the page
where it is done. Apps register a provider in AppConfig.ready(), as they do home-page panels
(yushu_gov/home.py), so the kernel depends on no app.

A provider is called with the request and returns the items for its user (an empty list when nothing waits
or the role has nothing to do there); it must cost a constant number of queries whatever the data.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    label: str  # what is to be done, in Chinese (translated)
    url: str  # the page where it is done
    count: int = 1  # how many things of this kind wait
    overdue: bool = False  # past its deadline: shown first and marked


_PROVIDERS: list[tuple[int, str, Callable]] = []


def register_todo(*, name: str, provider: Callable, order: int = 100) -> None:
    """Adds a provider (once per name); providers are asked in `order`."""
    if not any(existing == name for _order, existing, _provider in _PROVIDERS):
        _PROVIDERS.append((order, name, provider))
        _PROVIDERS.sort(key=lambda entry: entry[0])


def todo_items(request) -> list[TodoItem]:
    """Every provider's items for the user, overdue ones first."""
    items = [item for _order, _name, provider in _PROVIDERS for item in provider(request)]
    return sorted(items, key=lambda item: not item.overdue)

"""The to-do list (待办) on each role's home page: what waits for this user, each item linking to the page
where it is done. Apps register a provider in AppConfig.ready(), as they do home-page panels
(yushu_gov/home/panels.py), so the kernel depends on no app.

A provider is called with the request and returns the items for its user (an empty list when nothing waits
or the role has nothing to do there); it must cost a constant number of queries whatever the data.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


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


# The count in the navigation, on every page: kept in the session for settings.TODO_COUNT_SECONDS, so that
# a page costs no query for it, and recomputed after the user's own changes (TodoCountMiddleware forgets it
# after a POST) and whenever the home page lists the items anyway.
SESSION_KEY = "todo_count"


def remember_count(request, items: list[TodoItem]) -> int:
    count = sum(item.count for item in items)
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = [count, time.time()]
    return count


def todo_count(request) -> int:
    """How many things wait for the user (the items' counts added up)."""
    cached = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if isinstance(cached, list) and len(cached) == 2 and 0 <= time.time() - cached[1] < settings.TODO_COUNT_SECONDS:
        return int(cached[0])
    return remember_count(request, todo_items(request))


class TodoCountMiddleware:
    """Forgets the navigation's to-do count after a POST: the user has probably just done one of the things."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and hasattr(request, "session"):
            request.session.pop(SESSION_KEY, None)
        return response

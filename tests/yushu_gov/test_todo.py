"""The to-do list (待办): the registry's order, the home page's list and the count in the navigation, which the
session keeps (no query on an ordinary page) until it is stale or the user has just changed something."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from communities.models import Community
from officers.models import QualificationStandard
from tests.factories import AppointmentFactory
from yushu_gov.home import todo


def test_providers_are_asked_in_order_and_overdue_items_come_first(monkeypatch):
    monkeypatch.setattr(todo, "_PROVIDERS", [])
    todo.register_todo(name="b", order=20, provider=lambda request: [todo.TodoItem("乙", "/b/", 2)])
    todo.register_todo(name="a", order=10, provider=lambda request: [todo.TodoItem("甲", "/a/")])
    todo.register_todo(name="c", order=30, provider=lambda request: [todo.TodoItem("丙", "/c/", overdue=True)])
    todo.register_todo(name="a", order=5, provider=lambda request: [todo.TodoItem("重复", "/x/")])  # once per name
    assert [item.label for item in todo.todo_items(request=None)] == ["丙", "甲", "乙"]


def _pill(html: str) -> str:
    start = html.index('class="todo-pill"')
    return html[start : html.index("</a>", start)]


@pytest.mark.django_db
def test_the_home_page_lists_the_items_and_the_header_counts_them(client_for, nominated_appointment):
    html = client_for("jiegu_clerk").get(reverse("home")).content.decode()
    assert 'id="todo"' in html
    review = reverse("officers:appointment_review", args=[nominated_appointment.pk])
    assert f'href="{review}">任职程序待办理：资格审查</a>' in html
    # The header's count is the items' counts added up (the review, and the street's four other communities
    # without a deputy secretary, 红卫路社区 having its nomination under way).
    assert '<span class="badge badge-count">' in _pill(html)


@pytest.mark.django_db
def test_the_count_is_kept_in_the_session_and_forgotten_after_a_post(
    client_for, nominated_appointment, jiegu_clerk, django_assert_num_queries, settings
):
    settings.TODO_COUNT_SECONDS = 60
    client = client_for("jiegu_clerk")
    with time_machine.travel(date(2023, 3, 20), tick=False):
        client.get(reverse("officers:list"))
        counted = client.session[todo.SESSION_KEY][0]
        assert counted >= 1
        # An ordinary page reads the count from the session: the same queries as a page without it.
        with django_assert_num_queries(10):
            html = client.get(reverse("officers:list")).content.decode()
        assert f'<span class="badge badge-count">{counted}</span>' in _pill(html)
        # The clerk does the review: the POST forgets the count, and the next page counts again.
        standards = QualificationStandard.objects.filter(active=True)
        data = {"on_date": "2023-03-20", "reference": "材料"}
        data |= {f"met_{s.pk}": "yes" for s in standards} | {f"note_{s.pk}": "符合" for s in standards}
        response = client.post(reverse("officers:appointment_review", args=[nominated_appointment.pk]), data)
        assert response.status_code == 302
        assert todo.SESSION_KEY not in client.session
        client.get(reverse("officers:list"))
        assert client.session[todo.SESSION_KEY][0] == counted - 1


@pytest.mark.django_db
def test_a_stale_count_is_counted_again(client_for, nominated_appointment, settings):
    settings.TODO_COUNT_SECONDS = 60
    client = client_for("jiegu_clerk")
    with time_machine.travel(date(2023, 3, 20), tick=False) as clock:
        client.get(reverse("officers:list"))
        before = client.session[todo.SESSION_KEY][0]
        # Elsewhere a deputy secretary takes up a vacant seat of the street: the count follows within the minute.
        AppointmentFactory(community=Community.objects.get(code="xinjianlu"))
        client.get(reverse("officers:list"))
        assert client.session[todo.SESSION_KEY][0] == before
        clock.shift(61)
        client.get(reverse("officers:list"))
        # One gap fewer; the new deputy's talks due this month (March) and overdue (January, February), and
        # his consent to the public directory, not yet recorded.
        assert client.session[todo.SESSION_KEY][0] == before - 1 + 3 + 1


@pytest.mark.django_db
def test_a_role_with_nothing_to_do_says_so(client_for, reference):
    html = client_for("auditor").get(reverse("home")).content.decode()
    assert "暂无待办事项。" in html and 'class="todo-pill"' not in html

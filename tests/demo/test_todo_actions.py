"""Every to-do item offers an action to the role it is shown to: on the demo data, for each demo role, each
item of the to-do registry opens (200) on a page where the user can act: a POST form in the page's content,
or two links away at most (a list of the waiting records → a record → its step page). An item a role cannot
act on must not be shown to that role."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from assessments.demo.accounts import ACCOUNTS
from yushu_gov.access.roles import role_of
from yushu_gov.home.todo import todo_items
from yushu_gov.models import User

POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"", re.IGNORECASE)
LINK = re.compile(r'href="(/[^"#]*)"')
NOT_ACTIONS = ("/export", ".pdf", ".xlsx", "/directory/", "/photo/", "/letter/")
FOLLOW = 15  # links of a list page followed at most


def _main(html: str) -> str:
    """The page's content: the navigation's logout form and the footer's language form are not actions."""
    return html.split('id="main"', 1)[-1].split("</main>", 1)[0]


def _acts(client, url: str, depth: int = 2, path: tuple = ()) -> bool:
    path = (*path, url.split("?")[0])
    response = client.get(url)
    if response.status_code != 200:
        return False
    content = _main(response.content.decode())
    if POST_FORM.search(content):
        return True
    if depth == 0:
        return False
    links = [
        link.replace("&amp;", "&")
        for link in dict.fromkeys(LINK.findall(content))
        if not any(part in link for part in NOT_ACTIONS) and "?" not in link
    ][:FOLLOW]
    return any(_acts(client, link, depth - 1, path) for link in links if link not in path)


@pytest.mark.django_db
def test_every_to_do_item_of_every_demo_role_offers_an_action():
    with override_settings(DEBUG=True):
        call_command("load_demo_data", stdout=io.StringIO())
    shown, idle = 0, []
    for username, *_rest in ACCOUNTS:
        user = User.objects.get(username=username)
        request = RequestFactory().get("/")
        request.user = user
        request.session = {}
        role_of(user)
        client = Client()
        client.force_login(user)
        for item in todo_items(request):
            shown += 1
            assert client.get(item.url).status_code == 200, item.url
            if not _acts(client, item.url):
                idle.append((username, str(item.label), item.url))
    assert shown > 5  # the demo leaves work waiting for several roles
    assert idle == [], "\n".join(map(str, idle))

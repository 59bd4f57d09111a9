"""The demo data set of `make run`: it loads, loads only once, is refused in production, and on it every link
each demo role can follow from its home page answers without a server error."""

import io
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from assessments.demo.accounts import ACCOUNTS
from officers.models import Officer
from officers.talks.models import MonthlyTalk
from yushu_gov.models import User

from ..conftest import close_download

# Links not followed: static files, uploaded media, the language switch and logging out (POST only).
SKIPPED_PREFIXES = ("/static/", "/media/", "/i18n/", "/logout/")
PER_PAGE_KIND = 2  # distinct URLs visited per URL pattern and role (list pages with filters, records of a kind)
MAX_REQUESTS = 500  # per role


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str, base_path: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href:
            continue  # another site, a tel: or mailto: link
        path = href if href.startswith("/") else base_path.rsplit("/", 1)[0] + "/" + href
        if href.startswith("?"):
            path = base_path.split("?")[0] + href
        if not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


def walk(client: Client, start: str = "/", downloads: set | None = None) -> tuple[list[tuple[str, int, str]], int]:
    """Follows every same-site link from `start` (breadth first, a few URLs of each pattern). Returns the
    server errors as (url, status, the page it was linked from) and the number of requests made.

    `downloads` holds the URL patterns found to answer with a file (a PDF, a workbook), shared between walks:
    each is fetched once, its scope being the permission matrix's to check."""
    downloads = set() if downloads is None else downloads
    seen, errors, per_kind = {start}, [], Counter()
    queue = deque([(start, "")])
    requests = 0
    while queue and requests < MAX_REQUESTS:
        url, source = queue.popleft()
        response = client.get(url)
        requests += 1
        if response.status_code >= 500:
            errors.append((url, response.status_code, source))
        content_type = response.get("Content-Type", "")
        body = b"" if response.streaming else response.content
        close_download(response)
        if response.status_code == 200 and not content_type.startswith("text/html"):
            downloads.add(resolve(url.split("?")[0]).view_name)
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        for link in _links(body.decode(), url):
            if link in seen:
                continue
            try:
                kind = resolve(link.split("?")[0]).view_name
            except Resolver404:
                errors.append((link, 404, url))  # a link to nowhere is a bug too
                seen.add(link)
                continue
            if per_kind[kind] >= PER_PAGE_KIND or kind in downloads:
                continue
            per_kind[kind] += 1
            seen.add(link)
            queue.append((link, url))
    return errors, requests


def _load_demo():
    with override_settings(DEBUG=True):
        out = io.StringIO()
        call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_on_the_demo_data_every_link_of_every_role_answers_without_a_server_error():
    output = _load_demo()
    assert "18 new officers" in output
    assert Officer.objects.filter(name__endswith="（演示）").count() >= 18
    assert MonthlyTalk.objects.exists()

    report, downloads = {}, set()
    for username, *_rest in ACCOUNTS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        errors, requests = walk(client, downloads=downloads)
        report[username] = errors
        assert requests > 5, f"{username} reached only {requests} pages"
    anonymous_errors, _requests = walk(Client(raise_request_exception=False), start="/directory/")
    report["(public)"] = anonymous_errors
    assert {user: errors for user, errors in report.items() if errors} == {}


@pytest.mark.django_db
def test_the_demo_loads_once():
    _load_demo()
    talks = MonthlyTalk.objects.count()
    again = _load_demo()
    assert "0 new officers" in again and "0 new monthly talks" in again
    assert MonthlyTalk.objects.count() == talks


@pytest.mark.django_db
def test_the_demo_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not Officer.objects.exists()

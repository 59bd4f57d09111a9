"""The walk that a release must pass: each demo role, on the demo data, at 375 px, through every page of
its navigation and of its to-do list — no console error, no element wider than the screen, and no serious or
critical axe-core violation. Residents' pages too, without an account."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from assessments.demo.accounts import ACCOUNTS

from .conftest import PHONE, axe_violations, wide_elements

PUBLIC = ["/login/", "/directory/", "/directory/?q=mzl", "/directory/minzhulu/", "/directory/minzhulu/card/",
          "/open-data/", "/open-data/?community=hongweilu"]  # fmt: skip


@pytest.fixture
def demo_data(transactional_db):
    with override_settings(DEBUG=True):
        call_command("load_demo_data", stdout=io.StringIO())


def _check(page, url, console_errors, report):
    console_errors.clear()
    response = page.goto(url)
    problems = [f"answered {response.status}"] if response is not None and response.status >= 500 else []
    problems += axe_violations(page) + [f"wider than the screen: {e}" for e in wide_elements(page)]
    problems += [f"console: {e}" for e in console_errors]
    if problems:
        report[url] = problems


def test_every_demo_role_walks_its_pages_on_a_phone(demo_data, live_server, page, console_errors):
    page.set_viewport_size(PHONE)
    report, walked = {}, 0
    for path in PUBLIC:
        _check(page, live_server.url + path, console_errors, report)
        walked += 1
    for username, *_rest in ACCOUNTS:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "Yushu@2023")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        links = page.eval_on_selector_all("#site-nav a, #todo a", "links => links.map(a => a.getAttribute('href'))")
        paths = ["/"] + [
            href for href in dict.fromkeys(links) if href.startswith("/") and not href.startswith("/admin")
        ]
        for path in paths:
            _check(page, live_server.url + path, console_errors, report)
            walked += 1
    assert walked > 40
    assert report == {}

"""Browser tests: pytest-playwright driving Debian's Chromium (/usr/bin/chromium; Playwright cannot
download its own browser here) against pytest-django's live server.

Outside CI a machine without Chromium skips these tests with the reason; in CI (CI=true) a missing
browser fails the run.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _sync_orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test's thread for the whole session; the ORM calls
    # the tests (and the database flush after each test) make there are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package (make test does)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone set to Chinese, as the city's are: the residents' pages follow the browser's language on a first
    # visit (the Tibetan and English tests choose theirs).
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def login(page, live_server):
    """login("jiegu") signs the page in through the real login form."""

    def sign_in(username: str, password: str = "Yushu@2023"):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in


@pytest.fixture
def demo_accounts(transactional_db):
    """The README's demo accounts on the reference data (the live server needs committed rows)."""
    from assessments.demo.accounts import create_demo_accounts
    from officers.reference import load_reference_data

    load_reference_data()
    return create_demo_accounts()


PHONE = {"width": 375, "height": 740}


def wide_elements(page) -> list[str]:
    """The visible elements that reach past the right edge of the screen (or are wider than it)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth, found = [];
          for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width > 0 && (box.right > width + 1 || box.width > width + 1))
              found.push(`${el.tagName}.${el.className} ${Math.round(box.left)}–${Math.round(box.right)}`);
          }
          return found;
        }"""
    )


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations of the page (the engine bundled by the axe-playwright-python package, injected
    through the browser's developer protocol, which the page's Content-Security-Policy does not govern)."""
    from axe_playwright_python import __file__ as package

    source = Path(package).parent / "axe.min.js"
    page.evaluate(source.read_text(encoding="utf-8"))
    # The WCAG 2.x A and AA rules (color-contrast among them), the ones an accessibility assessment applies.
    options = (
        "{resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"
    )
    result = page.evaluate(f"axe.run(document, {options})")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def console_errors(page):
    """The page's console errors and uncaught exceptions, collected while the test runs."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors

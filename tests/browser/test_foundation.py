"""A real browser signs in as jiegu and opens the home page, on a 375-pixel-wide phone screen."""

from playwright.sync_api import expect


def test_jiegu_logs_in_and_sees_the_street_home_page(login, demo_accounts, live_server, page):
    page.set_viewport_size({"width": 375, "height": 740})
    login("jiegu")
    expect(page.locator("h1")).to_have_text("街道党工委工作人员")
    expect(page.locator(".user-menu")).to_contain_text("结古街道党工委工作人员（演示）")
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The menu opens with the toggle (served from static/, allowed by the Content-Security-Policy).
    expect(page.locator("#site-nav")).to_be_hidden()
    page.click(".nav-toggle")
    expect(page.locator("#site-nav")).to_be_visible()
    page.locator("#site-nav").get_by_role("link", name="党员民警", exact=True).click()
    expect(page.locator("h1")).to_have_text("党员民警")


def test_wrong_password_shows_a_chinese_message(demo_accounts, live_server, page):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "jiegu")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".errors")).to_contain_text("正确")
    expect(page.locator("#id_username")).to_have_value("jiegu")

"""Error pages in Chinese, the security headers, the language switch and the navigation by role."""

import pytest
from django.test import Client
from django.urls import reverse


def test_404_page_is_chinese(client_for, reference):
    response = client_for("jiegu_clerk").get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_page_is_chinese(client_for, reference):
    response = client_for("jiegu_clerk").get(reverse("audit_log"))
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


def test_500_page_is_chinese_and_standalone(reference):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统错误" in html and "{%" not in html


def test_a_server_error_renders_the_chinese_500_page_without_personal_data(reference, settings, monkeypatch):
    from officers import views

    def boom(request):
        id_number = "".join(["632701", "199001011233"])  # noqa: F841 (a local the error page must not show)
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "officer_list", boom)
    settings.ROOT_URLCONF = "tests.yushu_gov.urls_error"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "系统错误" in response.content.decode()
    assert "632701199001011233" not in response.content.decode()


def test_debug_error_report_hides_personal_data(rf):
    import sys

    from django.views.debug import ExceptionReporter

    # Built at run time, so that the numbers are not in the source lines the report shows.
    id_number, mobile = "".join(["632701", "199001011233"]), "".join(["139", "12345678"])
    request = rf.post("/officers/new/", {"id_number": id_number, "mobile": mobile, "name": "x"})
    try:
        cleaned_data = {"id_number": id_number, "mobile": mobile}  # noqa: F841
        note = "联系电话" + mobile  # noqa: F841
        raise ValueError("boom")
    except ValueError:
        html = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()
    assert id_number not in html
    assert mobile not in html
    assert "632701********1233" in html or "********" in html


def test_security_headers(client_for, reference):
    response = client_for("anonymous").get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_another_host(client_for, jiegu_officer):
    html = client_for("city_admin").get(reverse("officers:detail", args=[jiegu_officer.pk])).content.decode()
    assert "http://" not in html and "https://" not in html and "<script>" not in html and "style=" not in html


def test_language_switch_to_english_and_back(client_for, reference):
    client = client_for("jiegu_clerk")
    assert "首页" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in html
    assert "Home" in html and "Sign out" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get(reverse("home")).content.decode()


def test_browser_language_does_not_override_chinese(client_for, reference):
    response = client_for("jiegu_clerk").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("jiegu_clerk", ["党员民警", "社区与派出所"], ["审计日志", "系统管理"]),
        ("auditor", ["审计日志"], ["党员民警", "系统管理"]),
        ("city_admin", ["党员民警", "系统管理"], ["审计日志"]),
    ],
)
def test_navigation_by_role(role, shown, hidden, client_for, reference):
    nav = client_for(role).get(reverse("home")).content.decode().split('id="site-nav"')[1].split("</nav>")[0]
    for label in shown:
        assert label in nav
    for label in hidden:
        assert label not in nav

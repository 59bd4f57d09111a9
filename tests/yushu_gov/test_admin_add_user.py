"""The admin site's page for a new account reads in Chinese (Django's own sentence had no zh-hans text)."""

from django.urls import reverse


def test_the_new_account_page_says_in_chinese_what_comes_after(client_for, security_admin):
    html = client_for("security_admin").get(reverse("admin:yushu_gov_user_add")).content.decode()
    assert "创建用户后，可以继续编辑该用户的其他信息" in html
    assert "After you" not in html

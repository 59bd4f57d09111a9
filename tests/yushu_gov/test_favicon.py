"""The favicon: named by every page and answered at /favicon.ico (where browsers look by themselves)."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse


def test_the_favicon_is_found(client, reference):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == static("favicon.ico")
    assert finders.find("favicon.ico") and finders.find("favicon.svg")
    html = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}"' in html

"""The permission matrix: every URL pattern × every role → the expected status code.

Adding a URL without a row here fails `test_every_url_has_a_row`. Objects are the conftest's: a serving
officer of 结古街道 (in scope for the 结古 clerk and the 结古派出所 leader) — so 西杭's clerk gets 404 for it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ROLES

# Status per role, in the order of conftest.ROLES:
#   city_admin, jiegu_clerk, xihang_clerk, bureau, station_leader, auditor, anonymous
LOGIN = 302  # anonymous users are sent to the login page


def row(*statuses):
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


# url name -> (kwargs built from the fixtures, expected statuses)
MATRIX = {
    "home": (lambda f: {}, row(200, 200, 200, 200, 200, 200, LOGIN)),
    "login": (lambda f: {}, row(302, 302, 302, 302, 302, 302, 200)),
    "logout": (lambda f: {}, row(405, 405, 405, 405, 405, 405, 405)),  # POST only
    "audit_log": (lambda f: {}, row(403, 403, 403, 403, 403, 200, LOGIN)),
    "communities:list": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "officers:list": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "officers:create": (lambda f: {}, row(200, 403, 403, 403, 403, 403, LOGIN)),
    "officers:detail": (lambda f: {"pk": f["jiegu_officer"].pk}, row(200, 200, 404, 200, 200, 403, LOGIN)),
    "officers:edit": (lambda f: {"pk": f["jiegu_officer"].pk}, row(200, 403, 404, 403, 403, 403, LOGIN)),
    # appointments (issue 3): f["serving"] is the 结古 officer's seat, f["nominated"] a nomination in 结古街道
    "officers:appointment_list": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "officers:appointment_nominate": (lambda f: {}, row(403, 200, 200, 403, 403, 403, LOGIN)),
    "officers:appointment_detail": (lambda f: {"pk": f["serving"].pk}, row(200, 200, 404, 200, 200, 403, LOGIN)),
    "officers:appointment_letter": (lambda f: {"pk": f["serving"].pk}, row(200, 200, 404, 200, 200, 403, LOGIN)),
    "officers:appointment_letter_pdf": (lambda f: {"pk": f["serving"].pk}, row(200, 200, 404, 200, 200, 403, LOGIN)),
    "officers:appointment_review": (lambda f: {"pk": f["nominated"].pk}, row(403, 200, 404, 403, 403, 403, LOGIN)),
    "officers:appointment_report": (lambda f: {"pk": f["nominated"].pk}, row(200, 403, 404, 403, 403, 403, LOGIN)),
    "officers:appointment_decide": (lambda f: {"pk": f["nominated"].pk}, row(200, 403, 404, 403, 403, 403, LOGIN)),
    "officers:appointment_file": (lambda f: {"pk": f["nominated"].pk}, row(200, 403, 404, 403, 403, 403, LOGIN)),
    "officers:appointment_serve": (lambda f: {"pk": f["nominated"].pk}, row(200, 200, 404, 403, 403, 403, LOGIN)),
    "officers:appointment_end": (lambda f: {"pk": f["serving"].pk}, row(200, 403, 404, 403, 403, 403, LOGIN)),
    "officers:appointment_return": (lambda f: {"pk": f["nominated"].pk}, row(200, 403, 404, 403, 403, 403, LOGIN)),
    "officers:appointment_withdraw": (lambda f: {"pk": f["nominated"].pk}, row(200, 200, 404, 403, 403, 403, LOGIN)),
    "officers:coverage": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "officers:roster": (lambda f: {"pk": f["serving"].community_id}, row(200, 200, 404, 200, 200, 403, LOGIN)),
    # the public directory: no login, the same for everyone
    "directory:index": (lambda f: {}, row(200, 200, 200, 200, 200, 200, 200)),
    "directory:community": (lambda f: {"code": "minzhulu"}, row(200, 200, 200, 200, 200, 200, 200)),
    "directory:card": (lambda f: {"code": "minzhulu"}, row(200, 200, 200, 200, 200, 200, 200)),
}


# Monthly talks (issue 4): street staff record and (while the month is open) change their street's talks; the
# city administrator changes any, also after the month closed; the bureau and station leaders read. The talk
# is jiegu_talk (结古街道, this month): 西杭's clerk gets 404 for it.
def _talk(f):
    return {"pk": f["jiegu_talk"].pk}


MATRIX |= {
    "talks:grid": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "talks:list": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "talks:create": (lambda f: {}, row(403, 200, 200, 403, 403, 403, LOGIN)),
    "talks:ledger": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "talks:detail": (_talk, row(200, 200, 404, 200, 200, 403, LOGIN)),
    "talks:edit": (_talk, row(200, 200, 404, 403, 403, 403, LOGIN)),
    "talks:delete": (_talk, row(200, 200, 404, 403, 403, 403, LOGIN)),  # GET: the confirmation page
    "talks:sheet": (_talk, row(200, 200, 404, 200, 200, 403, LOGIN)),
}

# ---- year-end assessment (issue 6): the 2023 assessment of the 结古 officer ----
_A = lambda f: {"pk": f["jiegu_assessment"].pk}  # noqa: E731
MATRIX.update(
    {
        "assessments:index": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
        "assessments:year": (lambda f: {"year": 2023}, row(200, 200, 200, 200, 200, 403, LOGIN)),
        "assessments:export": (lambda f: {"year": 2023}, row(200, 200, 200, 200, 200, 403, LOGIN)),
        "assessments:open_year": (lambda f: {"year": 2023}, row(200, 403, 403, 200, 403, 403, LOGIN)),
        "assessments:scheme": (lambda f: {"year": 2023}, row(200, 403, 403, 403, 403, 403, LOGIN)),
        "assessments:detail": (_A, row(200, 200, 404, 200, 200, 403, LOGIN)),
        "assessments:performance": (_A, row(403, 200, 404, 403, 403, 403, LOGIN)),
        "assessments:business": (_A, row(403, 403, 404, 200, 403, 403, LOGIN)),
        # the street's report and 评议 (the bureau's: tests/assessments/test_views.py)
        "assessments:report": (
            lambda f: {**_A(f), "body": "street"},
            row(403, 200, 404, 403, 403, 403, LOGIN),
        ),
        "assessments:report_file": (
            lambda f: {**_A(f), "body": "street"},
            row(200, 200, 404, 200, 200, 403, LOGIN),
        ),
        "assessments:combine": (_A, row(403, 403, 404, 200, 403, 403, LOGIN)),
        "assessments:file": (_A, row(403, 403, 404, 200, 403, 403, LOGIN)),
        "assessments:reopen": (_A, row(200, 403, 404, 403, 403, 403, LOGIN)),
        "assessments:sheet": (_A, row(200, 200, 404, 200, 200, 403, LOGIN)),
    }
)


# Work ledger, police-call figures, dashboard and briefing (issue 5). The work record is a mediation in
# 民主路社区 (结古街道) by an officer of 结古派出所.
MATRIX |= {
    "work:list": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "work:export": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "work:create": (lambda f: {}, row(200, 200, 200, 403, 200, 403, LOGIN)),
    "work:detail": (lambda f: {"pk": f["jiegu_work_record"].pk}, row(200, 200, 404, 200, 200, 403, LOGIN)),
    "work:edit": (lambda f: {"pk": f["jiegu_work_record"].pk}, row(200, 200, 404, 403, 200, 403, LOGIN)),
    "communities:police_calls": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "communities:police_call_set": (lambda f: {}, row(200, 403, 403, 200, 403, 403, LOGIN)),
    "communities:police_call_template": (lambda f: {}, row(200, 403, 403, 200, 403, 403, LOGIN)),
    "communities:police_call_import": (lambda f: {}, row(200, 403, 403, 200, 403, 403, LOGIN)),
    "reports:dashboard": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "reports:briefing": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
    "reports:briefing_pdf": (lambda f: {}, row(200, 200, 200, 200, 200, 403, LOGIN)),
}

# Patterns that are not the application's pages: Django's admin site (its own permission system,
# tested in test_admin.py), the language switch (Django's view), and static/media serving.
EXCLUDED_PREFIXES = ("admin:", "set_language")


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_row():
    names = {name for name in _url_names() if not name.startswith(EXCLUDED_PREFIXES)}
    assert names - MATRIX.keys() == set(), "URLs without a row in the permission matrix"
    assert MATRIX.keys() - names == set(), "rows for URLs that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(url_name, role, client_for, request):
    make_kwargs, expected = MATRIX[url_name]
    officer = request.getfixturevalue("jiegu_officer")
    fixtures = {
        "jiegu_officer": officer,
        "serving": officer.appointments.get(),
        "nominated": request.getfixturevalue("nominated_appointment"),
    }
    fixtures["jiegu_talk"] = request.getfixturevalue("jiegu_talk")  # monthly talks (issue 4)
    if url_name.startswith("assessments:"):  # issue 6
        fixtures["jiegu_assessment"] = request.getfixturevalue("jiegu_assessment")
    fixtures["jiegu_work_record"] = request.getfixturevalue("jiegu_work_record")  # issue 5
    url = reverse(url_name, kwargs=make_kwargs(fixtures))
    response = client_for(role).get(url)
    assert response.status_code == expected[role], f"{role} GET {url}"
    if expected[role] == LOGIN and role == "anonymous":
        assert response.url.startswith(reverse("login"))

"""The permission matrix: every URL pattern × every role → the expected status of a GET, and every URL whose
view acts on a POST × every role → the expected status of an empty POST (the refusals must come before any
form is read: 403 for a role without the right, 404 outside the scope, the login page for visitors).

Adding a URL without a GET row, or a view that handles POST without a POST row, fails a test here. A row
names the roles whose status differs from its default, so a role added to the cast needs only the rows where
it differs. The objects are the conftest's: a serving officer of 结古街道 (in scope for the 结古 clerk and the
结古派出所 leader) with a talk, a work record and a 2023 assessment, a resident's request to his community
waiting to be accepted, and a nomination in 结古街道 — so 西杭's clerk gets 404 for them. The cast's police
deputy secretary is that officer himself: he reads his own talks and records and his community's requests.

Two more administrators stand on the organisation tree: the prefecture's (玉树州, above the city) gets what the
city administrator gets, and the administrator of 称多县 (a neighbouring county) gets the same lists and forms
but 404 for every record of 玉树市, as 西杭's clerk gets 404 for a record of 结古.
"""

import inspect
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from .conftest import ROLES, close_download

LOGIN = 302  # anonymous users are sent to the login page


def expect(default: int = 403, **statuses: int):
    """The expected status per role: the roles named, the login page for the anonymous visitor, and
    `default` for every other role."""
    return lambda role: statuses.get(role, LOGIN if role == "anonymous" else default)


READERS = {"city_admin": 200, "jiegu_clerk": 200, "xihang_clerk": 200, "bureau": 200, "station_leader": 200}
IN_JIEGU = {**READERS, "xihang_clerk": 404}  # a record of 结古街道: 西杭's clerk does not see it
ADMIN = {"city_admin": 200}
CLERKS = {"jiegu_clerk": 200, "xihang_clerk": 200}
EVERYONE = expect(200, anonymous=200)
# An export view starts a background job and sends its user to the job's page.
STARTS_EXPORT = {role: 302 for role in READERS}


def none(f):
    return {}


def officer(f):
    return {"pk": f["jiegu_officer"].pk}


def json_format(f):
    return {"fmt": "json"}


def serving(f):
    return {"pk": f["serving"].pk}


def nominated(f):
    return {"pk": f["nominated"].pk}


def talk(f):
    return {"pk": f["jiegu_talk"].pk}


def work_record(f):
    return {"pk": f["jiegu_work_record"].pk}


def assessment(f):
    return {"pk": f["jiegu_assessment"].pk}


def street_report(f):
    return {"pk": f["jiegu_assessment"].pk, "body": "street"}


def year(f):
    return {"year": 2023}


def resident_request(f):
    return {"pk": f["resident_request"].pk}


def export_job(f):
    return {"pk": f["export_job"].pk}


def roster_community(f):
    return {"pk": f["serving"].community_id}


# The rows whose URL names a record of 玉树市 (or the city administrator's own export job).
CITY_RECORDS = {
    officer,
    serving,
    nominated,
    talk,
    work_record,
    assessment,
    street_report,
    resident_request,
    roster_community,
    export_job,
}
CAST = [*ROLES, "prefecture_admin", "chenduo_admin"]


def expected_status(url_name: str, role: str, expected) -> int:
    """The row's status for the role; the two administrators of the tree follow the city administrator's."""
    if role not in ("prefecture_admin", "chenduo_admin"):
        return expected(role)
    make_kwargs = MATRIX[url_name][0]
    status = expected("city_admin")
    if role == "chenduo_admin" and expected("xihang_clerk") == 404:
        return 404  # outside the scope, whatever the role: as for 西杭's clerk
    if status in (403, 405) or make_kwargs not in CITY_RECORDS:
        return status
    if role == "prefecture_admin" and make_kwargs is not export_job:
        return status  # the city lies under the prefecture
    return 404


# url name -> (kwargs built from the fixtures, expected GET status per role)
MATRIX = {
    "home": (none, expect(200)),
    "favicon": (none, expect(301, anonymous=301)),
    "login": (none, expect(302, anonymous=200)),
    "logout": (none, expect(405, anonymous=405)),  # POST only
    "audit_log": (none, expect(auditor=200)),
    # every user's own account: the password, the second factor (none enrolled: verify and the recovery codes
    # lead to the enrolment)
    "account:password_change": (none, expect(200)),
    "account:two_factor": (none, expect(200)),
    # the first authenticator only through the security administrator's one-time link (none here: 403)
    "account:two_factor_setup": (none, expect(403)),
    "account:two_factor_enrol_link": (lambda f: {"token": "not-a-link"}, expect(302)),
    "account:two_factor_verify": (none, expect(302)),
    "account:recovery_codes": (none, expect(302)),
    "audit_log_export": (none, expect(auditor=302)),
    # background exports: "my exports" is everyone's own; a job and its file are its requester's alone (the
    # city administrator's here), 404 for everyone else
    "my_exports": (none, expect(200)),
    # notices: everyone's own bell and channels; the delivery page is the city and security administrators'
    "notices:list": (none, expect(200)),
    "notices:read": (none, expect(302)),  # the list's button posts here
    "notices:channels": (none, expect(200)),
    "notices:delivery": (none, expect(city_admin=200, security_admin=200)),
    "export_job": (export_job, expect(404, city_admin=200)),
    "export_job_download": (export_job, expect(404, city_admin=200)),
    "communities:list": (none, expect(**READERS)),
    "officers:list": (none, expect(**READERS)),
    "officers:create": (none, expect(**ADMIN)),
    "officers:detail": (officer, expect(**IN_JIEGU)),
    "officers:edit": (officer, expect(city_admin=200, xihang_clerk=404)),
    "officers:consent": (officer, expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404)),
    # appointments: the selection procedure
    "officers:appointment_list": (none, expect(**READERS)),
    "officers:appointment_nominate": (none, expect(**CLERKS)),
    "officers:appointment_detail": (serving, expect(**IN_JIEGU)),
    "officers:appointment_letter": (serving, expect(**IN_JIEGU)),
    "officers:appointment_letter_pdf": (serving, expect(**IN_JIEGU)),
    "officers:appointment_review": (nominated, expect(jiegu_clerk=200, xihang_clerk=404)),
    "officers:appointment_report": (nominated, expect(city_admin=200, xihang_clerk=404)),
    "officers:appointment_decide": (nominated, expect(city_admin=200, xihang_clerk=404)),
    "officers:appointment_file": (nominated, expect(city_admin=200, xihang_clerk=404)),
    "officers:appointment_serve": (nominated, expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404)),
    "officers:appointment_end": (serving, expect(city_admin=200, xihang_clerk=404)),
    "officers:appointment_return": (nominated, expect(city_admin=200, xihang_clerk=404)),
    "officers:appointment_withdraw": (nominated, expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404)),
    "officers:coverage": (none, expect(**READERS)),
    # the search-as-you-type suggestions (scoped JSON) for whoever has a list that filters by officer
    "officers:lookup": (none, expect(**READERS, officer=200)),
    "officers:roster": (roster_community, expect(**IN_JIEGU)),
    # the public directory: no login, the same for everyone
    "directory:index": (none, EVERYONE),
    "directory:community": (lambda f: {"code": "minzhulu"}, EVERYONE),
    "directory:card": (lambda f: {"code": "minzhulu"}, EVERYONE),
    # monthly talks: street staff record and (while the month is open) change their street's talks; the city
    # administrator changes any, also after the month closed; the bureau and station leaders read
    # (the officer reads his own talks)
    "talks:grid": (none, expect(**READERS, officer=200)),
    "talks:list": (none, expect(**READERS, officer=200)),
    "talks:create": (none, expect(**CLERKS)),
    "talks:ledger": (none, expect(**STARTS_EXPORT)),
    "talks:frequency": (none, expect(**ADMIN)),
    "talks:detail": (talk, expect(**IN_JIEGU, officer=200)),
    "talks:edit": (talk, expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404)),
    "talks:delete": (talk, expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404)),  # GET: the confirmation
    "talks:sheet": (talk, expect(**IN_JIEGU, officer=200)),
    # the work ledger and the police-call figures (the officer reads and adds his own records)
    "work:list": (none, expect(**READERS, officer=200)),
    "work:export": (none, expect(**STARTS_EXPORT, officer=302)),
    "work:create": (none, expect(**{**READERS, "bureau": 403}, officer=200)),
    "work:officers_for": (none, expect(**{**READERS, "bureau": 403}, officer=200)),
    "work:lookup": (none, expect(**READERS, officer=200)),
    "work:detail": (work_record, expect(**IN_JIEGU, officer=200)),
    "work:edit": (work_record, expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404, station_leader=200)),
    "communities:police_calls": (none, expect(**READERS)),
    "communities:lookup": (none, expect(**READERS, officer=200)),  # suggestions for community fields
    "communities:police_call_set": (none, expect(city_admin=200, bureau=200)),
    "communities:police_call_template": (none, expect(city_admin=200, bureau=200)),
    "communities:police_call_import": (none, expect(city_admin=200, bureau=200)),
    # the dashboard and the briefing
    "reports:dashboard": (none, expect(**READERS)),
    "reports:briefing": (none, expect(**READERS)),
    "reports:briefing_pdf": (none, expect(**READERS)),
    # the year-end assessment: the 2023 assessment of the 结古 officer; he writes his own reports (his street
    # report is already held there: the page says it can no longer change)
    "assessments:index": (none, expect(**READERS)),
    "assessments:mine": (none, expect(officer=200)),
    "assessments:report_write": (street_report, expect(officer=200)),
    "assessments:year": (year, expect(**READERS)),
    "assessments:export": (year, expect(**STARTS_EXPORT)),
    "assessments:open_year": (year, expect(city_admin=200, bureau=200)),
    "assessments:batch": (year, expect(bureau=200)),  # GET: where to pick the results
    "assessments:scheme": (year, expect(**ADMIN)),
    "assessments:detail": (assessment, expect(**IN_JIEGU)),
    "assessments:performance": (assessment, expect(jiegu_clerk=200, xihang_clerk=404)),
    "assessments:business": (assessment, expect(bureau=200, xihang_clerk=404)),
    # the street's report and 评议 (the bureau's: tests/assessments/test_views.py)
    "assessments:report": (street_report, expect(jiegu_clerk=200, xihang_clerk=404)),
    "assessments:report_file": (street_report, expect(**IN_JIEGU, officer=200)),
    "assessments:combine": (assessment, expect(bureau=200, xihang_clerk=404)),
    "assessments:file": (assessment, expect(bureau=200, xihang_clerk=404)),
    "assessments:reopen": (assessment, expect(city_admin=200, xihang_clerk=404)),
    "assessments:sheet": (assessment, expect(**IN_JIEGU)),
    # residents' requests: the officer handles his community's (the request waits to be accepted), the street
    # handles what is transferred to it (the step pages say the request is the officer's now), all read
    "requests:list": (none, expect(**READERS, officer=200)),
    "requests:export": (none, expect(**STARTS_EXPORT, officer=302)),
    "requests:deadlines": (none, expect(**ADMIN)),
    "requests:detail": (resident_request, expect(**IN_JIEGU, officer=200)),
    "requests:photo": (resident_request, expect(**IN_JIEGU, officer=200)),
    # the fixture's request has no voice message: in scope, 404 (tests/resident_requests/test_voice.py plays one)
    "requests:voice": (resident_request, expect(**{role: 404 for role in IN_JIEGU}, officer=404)),
    "requests:accept": (resident_request, expect(officer=200, xihang_clerk=404)),
    "requests:note": (resident_request, expect(officer=200, jiegu_clerk=200, xihang_clerk=404)),
    "requests:transfer": (resident_request, expect(officer=200, jiegu_clerk=200, xihang_clerk=404)),
    "requests:resolve": (resident_request, expect(officer=200, jiegu_clerk=200, xihang_clerk=404)),
    # the street's hand on an overdue request its officer holds (not overdue here: the page says so)
    "requests:remind": (resident_request, expect(jiegu_clerk=200, xihang_clerk=404)),
    "requests:take_over": (resident_request, expect(jiegu_clerk=200, xihang_clerk=404)),
    "requests:street_transfer": (resident_request, expect(jiegu_clerk=200, xihang_clerk=404)),
    # the residents' public pages: no login, the same for everyone (the rating is POST only)
    "requests_public:new": (lambda f: {"code": "minzhulu"}, EVERYONE),
    "requests_public:submitted": (none, EVERYONE),
    "requests_public:track": (none, EVERYONE),
    # the phone-code recovery: the phone's form; the code and the list lead back to it without a session
    "requests_public:phone": (none, EVERYONE),
    "requests_public:phone_code": (none, expect(302, anonymous=302)),
    "requests_public:mine": (none, expect(302, anonymous=302)),
    "requests_public:rate": (none, expect(405, anonymous=405)),
    # Open311 GeoReport v2 and the 12345 hotline's work orders: no login, the same for everyone; the reads are
    # public, the writes and the stage feed need a partner's api_key (the standard's error list, 403, without)
    "open_figures:page": (none, EVERYONE),
    "open_figures:csv": (none, EVERYONE),
    "open_figures:json": (none, EVERYONE),
    "open311:discovery": (json_format, EVERYONE),
    "open311:services": (json_format, EVERYONE),
    "open311:service_definition": (lambda f: {"fmt": "json", "code": "facility"}, EVERYONE),
    "open311:requests": (json_format, EVERYONE),
    "open311:request": (lambda f: {"fmt": "json", "number": "YS-2020-000001"}, expect(404, anonymous=404)),
    "open311:token": (
        lambda f: {"fmt": "xml", "token": "00000000-0000-4000-8000-000000000001"},
        expect(404, anonymous=404),
    ),
    "open311:work_orders": (json_format, expect(405, anonymous=405)),
    "open311:changes": (json_format, expect(403, anonymous=403)),
    "open311:webhook": (json_format, expect(405, anonymous=405)),
    "requests_public:support": (none, expect(405, anonymous=405)),
}

# url name -> expected status of an empty POST per role (the kwargs are MATRIX's). Where the role may act, an
# empty form is refused with its errors (200) and nothing changes; 409 where the step does not start from
# the object's state; 302 where no input is needed.
POST_MATRIX = {
    "login": expect(302, anonymous=200),
    "logout": expect(302, anonymous=302),
    "account:password_change": expect(200),
    "account:two_factor_setup": expect(403),
    "account:two_factor_verify": expect(302),
    "account:recovery_codes": expect(302),
    "notices:read": expect(302),
    "notices:channels": expect(302),
    "officers:create": expect(**ADMIN),
    "officers:edit": expect(city_admin=200, xihang_clerk=404),
    "officers:consent": expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404),
    "officers:appointment_nominate": expect(**CLERKS),
    "officers:appointment_review": expect(jiegu_clerk=200, xihang_clerk=404),
    "officers:appointment_report": expect(city_admin=409, xihang_clerk=404),  # the nomination is not reviewed yet
    "officers:appointment_decide": expect(city_admin=409, xihang_clerk=404),
    "officers:appointment_file": expect(city_admin=409, xihang_clerk=404),
    "officers:appointment_serve": expect(city_admin=409, jiegu_clerk=409, xihang_clerk=404),
    "officers:appointment_end": expect(city_admin=200, xihang_clerk=404),
    "officers:appointment_return": expect(city_admin=200, xihang_clerk=404),
    "officers:appointment_withdraw": expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404),
    "talks:create": expect(**CLERKS),
    "talks:frequency": expect(**ADMIN),  # an empty form comes back with its error
    "talks:edit": expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404),
    "talks:delete": expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404),
    "work:create": expect(**{**READERS, "bureau": 403}, officer=200),
    "work:edit": expect(city_admin=200, jiegu_clerk=200, xihang_clerk=404, station_leader=200),
    "communities:police_call_set": expect(city_admin=200, bureau=200),
    "communities:police_call_import": expect(city_admin=200, bureau=200),
    "assessments:open_year": expect(city_admin=302, bureau=302),  # opening needs no input
    "assessments:batch": expect(bureau=200),  # nothing picked: the page says so
    "assessments:scheme": expect(**ADMIN),
    "assessments:performance": expect(jiegu_clerk=200, xihang_clerk=404),
    "assessments:business": expect(bureau=200, xihang_clerk=404),
    "assessments:report": expect(jiegu_clerk=200, xihang_clerk=404),
    "assessments:combine": expect(bureau=200, xihang_clerk=404),
    "assessments:file": expect(bureau=200, xihang_clerk=404),
    "assessments:reopen": expect(city_admin=200, xihang_clerk=404),
    "assessments:report_write": expect(officer=409),  # his street report is held already
    # accepting needs no input; a note or the reply starts only from an accepted request; the street's steps
    # wait until the request is transferred to it
    "requests:accept": expect(officer=302, xihang_clerk=404),
    "requests:note": expect(officer=409, jiegu_clerk=409, xihang_clerk=404),
    "requests:transfer": expect(officer=200, jiegu_clerk=409, xihang_clerk=404),
    "requests:resolve": expect(officer=409, jiegu_clerk=409, xihang_clerk=404),
    "requests:remind": expect(jiegu_clerk=409, xihang_clerk=404),
    "requests:take_over": expect(jiegu_clerk=409, xihang_clerk=404),
    "requests:street_transfer": expect(jiegu_clerk=409, xihang_clerk=404),
    "requests:deadlines": expect(**ADMIN),
    # the public pages: an empty form comes back with its errors; rating needs a request looked up first
    "requests_public:new": expect(200, anonymous=200),
    "requests_public:track": expect(200, anonymous=200),
    "requests_public:phone": EVERYONE,
    "requests_public:phone_code": expect(302, anonymous=302),
    "requests_public:mine": expect(302, anonymous=302),
    "requests_public:rate": expect(302, anonymous=302),
    # no api_key: refused before anything is read
    "open311:requests": expect(403, anonymous=403),
    "open311:work_orders": expect(403, anonymous=403),
    "open311:webhook": expect(403, anonymous=403),
    "open311:changes": expect(405, anonymous=405),  # read with GET only
    "requests_public:support": expect(404, anonymous=404),  # no open request named
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


def _reads_post(function) -> bool:
    source = inspect.getsource(inspect.unwrap(function))
    return "request.POST" in source or "request.method" in source


def _handles_post(url_name: str) -> bool:
    """Whether the view behind the URL acts on a POST: it reads request.method or request.POST itself or in a
    helper of its module that it hands the request to, or it is a class-based view with a post() method."""
    view = resolve(reverse(url_name, kwargs=MATRIX[url_name][0](_SAMPLE_FIXTURES))).func
    if hasattr(view, "view_class"):
        return hasattr(view.view_class, "post")
    view = inspect.unwrap(view)
    helpers = re.findall(r"(\w+)\(\s*request\b", inspect.getsource(view))
    module = inspect.getmodule(view)
    return _reads_post(view) or any(
        _reads_post(getattr(module, name)) for name in helpers if inspect.isfunction(getattr(module, name, None))
    )


class _Sample:
    pk = 1
    community_id = 1


_SAMPLE_FIXTURES = {
    "jiegu_officer": _Sample,
    "serving": _Sample,
    "nominated": _Sample,
    "jiegu_talk": _Sample,
    "jiegu_work_record": _Sample,
    "jiegu_assessment": _Sample,
    "resident_request": _Sample,
    "export_job": type("_SampleJob", (), {"pk": "00000000-0000-4000-8000-000000000001"}),
}


def test_every_url_has_a_row():
    names = {name for name in _url_names() if not name.startswith(EXCLUDED_PREFIXES)}
    assert names - MATRIX.keys() == set(), "URLs without a row in the permission matrix"
    assert MATRIX.keys() - names == set(), "rows for URLs that no longer exist"


def test_every_view_that_acts_on_a_post_has_a_post_row():
    acting = {name for name in MATRIX if _handles_post(name)}
    assert acting - POST_MATRIX.keys() == set(), "views that act on a POST without a row in POST_MATRIX"
    assert POST_MATRIX.keys() - acting == set(), "POST rows for views that do not act on a POST"


def _fixtures(request, url_name: str) -> dict:
    officer = request.getfixturevalue("jiegu_officer")
    fixtures = {
        "jiegu_officer": officer,
        "serving": officer.appointments.get(),
        "nominated": request.getfixturevalue("nominated_appointment"),
        "jiegu_talk": request.getfixturevalue("jiegu_talk"),
        "jiegu_work_record": request.getfixturevalue("jiegu_work_record"),
    }
    if url_name.startswith("assessments:"):
        fixtures["jiegu_assessment"] = request.getfixturevalue("jiegu_assessment")
    if url_name.startswith("requests:"):
        fixtures["resident_request"] = request.getfixturevalue("resident_request")
    if url_name.startswith("export_job"):
        fixtures["export_job"] = request.getfixturevalue("finished_export")
    return fixtures


@pytest.mark.django_db
@pytest.mark.parametrize("role", CAST)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(url_name, role, client_for, request):
    make_kwargs, expected = MATRIX[url_name]
    url = reverse(url_name, kwargs=make_kwargs(_fixtures(request, url_name)))
    response = client_for(role).get(url)
    close_download(response)
    assert response.status_code == expected_status(url_name, role, expected), f"{role} GET {url}"
    if expected(role) == LOGIN and role == "anonymous" and not url_name.startswith("requests_public:"):
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", CAST)
@pytest.mark.parametrize("url_name", sorted(POST_MATRIX))
def test_post_permission_matrix(url_name, role, client_for, request):
    make_kwargs, _get = MATRIX[url_name]
    url = reverse(url_name, kwargs=make_kwargs(_fixtures(request, url_name)))
    response = client_for(role).post(url, {})
    expected = expected_status(url_name, role, POST_MATRIX[url_name])
    assert response.status_code == expected, f"{role} POST {url}"
    public = url_name == "logout" or url_name.startswith("requests_public:")
    if expected == LOGIN and role == "anonymous" and not public:
        assert response.url.startswith(reverse("login"))

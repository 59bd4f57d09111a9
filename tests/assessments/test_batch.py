"""The year page combines and files many results at once: pick, confirm, and each result goes through its own
service with its own audit entry; a result someone changed after the page was shown is refused alone."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import AnnualAssessment
from tests.factories import AnnualAssessmentFactory, AppointmentFactory, OfficerFactory
from yushu_gov.models import AuditEntry


@pytest.fixture
def ready(reference):
    """Three 2023 results with every input entered (evaluated)."""
    made = []
    for score in (95, 85, 70):
        officer = OfficerFactory(station=reference["jiegu_station"])
        AppointmentFactory(officer=officer)
        assessment = AnnualAssessmentFactory(
            officer=officer, year=2023, status="evaluated", performance_score=Decimal(score),
            business_score=Decimal(score), quarter1="good", quarter2="good", quarter3="good", quarter4="good",
        )  # fmt: skip
        assessment.reports.update(held_on="2024-01-10", text="述职", evaluation="competent")
        made.append(assessment)
    return made


def picks(assessments):
    return [f"{a.pk}:{a.version}" for a in assessments]


def test_the_year_page_offers_the_selection_to_the_bureau_only(ready, client_for):
    html = client_for("bureau").get(reverse("assessments:year", args=[2023])).content.decode()
    assert f'name="pick" value="{ready[0].pk}:1"' in html and "综合评定所选" in html
    html = client_for("city_admin").get(reverse("assessments:year", args=[2023])).content.decode()
    assert 'name="pick"' not in html


def test_pick_confirm_and_each_result_is_combined_and_audited(ready, client_for, bureau):
    client = client_for("bureau")
    url = reverse("assessments:batch", args=[2023])
    confirm = client.post(url, {"step": "combine", "pick": picks(ready[:2])})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "确认综合评定 2 份" in html
    assert not AnnualAssessment.objects.filter(status="combined").exists()  # nothing done before the confirmation
    response = client.post(url, {"step": "combine", "pick": picks(ready[:2]), "confirm": "1"}, follow=True)
    assert "已综合评定 2 份考核结果。" in response.content.decode()
    combined = AnnualAssessment.objects.filter(status="combined").order_by("-weighted_score")
    assert [a.grade for a in combined] == ["excellent", "competent"]
    entries = AuditEntry.objects.filter(action="assessments.assessment.combined", actor=bureau)
    assert sorted(int(e.object_id) for e in entries) == sorted(a.pk for a in ready[:2])
    # Then file them, together.
    client.post(url, {"step": "file", "pick": picks(combined), "confirm": "1"})
    assert AnnualAssessment.objects.filter(status="filed").count() == 2
    assert AuditEntry.objects.filter(action="assessments.assessment.filed").count() == 2


def test_a_result_changed_meanwhile_is_refused_alone(ready, client_for, bureau):
    stale = picks(ready)
    AnnualAssessment.objects.filter(pk=ready[0].pk).update(version=2)  # a colleague saved it after the page
    response = client_for("bureau").post(
        reverse("assessments:batch", args=[2023]), {"step": "combine", "pick": stale, "confirm": "1"}, follow=True
    )
    html = response.content.decode()
    assert "已综合评定 2 份考核结果。" in html and "未办理" in html
    assert AnnualAssessment.objects.get(pk=ready[0].pk).status == "evaluated"
    assert AnnualAssessment.objects.filter(status="combined").count() == 2


def test_filing_what_is_not_combined_is_refused_with_the_reason(ready, client_for):
    response = client_for("bureau").post(
        reverse("assessments:batch", args=[2023]),
        {"step": "file", "pick": picks(ready[:1]), "confirm": "1"},
        follow=True,
    )
    assert "只有已综合评定的考核结果才能审定归档。" in response.content.decode()
    assert not AnnualAssessment.objects.filter(status="filed").exists()


def test_nothing_picked_or_nonsense_is_refused(ready, client_for):
    client = client_for("bureau")
    url = reverse("assessments:batch", args=[2023])
    assert "请至少勾选一份考核结果。" in client.post(url, {"step": "combine"}).content.decode()
    assert "勾选的内容无效" in client.post(url, {"step": "combine", "pick": ["1;DROP"]}).content.decode()
    assert client.post(url, {"step": "combine", "pick": picks(ready)}, HTTP_X="").status_code == 200

"""Confirmations that matter: 审定归档 repeats the 优秀-cap warning; the admin site's refusal of a step that
is not next says which step is (the officer's 述职 提交 confirmation is in test_own_reports.py)."""

from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import AnnualAssessment, AssessmentScheme
from tests.officers.test_workflow import advance

from .test_views import _year_of

WARNING = "已评定 3 人中优秀 1 人，占 33.3%，超过本年度上限 20%"


def test_the_file_confirmation_repeats_the_excellent_cap_warning(client_for, reference, bureau):
    AssessmentScheme.objects.create(year=2023)
    _year_of(3, excellent=1)
    combined = AnnualAssessment.objects.filter(year=2023).order_by("pk").first()
    client = client_for("bureau")
    page = client.get(reverse("assessments:file", args=[combined.pk])).content.decode()
    assert WARNING in page
    picks = [f"{a.pk}:{a.version}" for a in AnnualAssessment.objects.filter(year=2023)]
    batch = client.post(reverse("assessments:batch", args=[2023]), {"step": "file", "pick": picks}).content.decode()
    assert WARNING in batch
    combine = client.post(reverse("assessments:batch", args=[2023]), {"step": "combine", "pick": picks})
    assert WARNING not in combine.content.decode()


def test_within_the_cap_the_confirmation_warns_of_nothing(client_for, reference):
    AssessmentScheme.objects.create(year=2023)
    _year_of(5, excellent=1)
    combined = AnnualAssessment.objects.filter(year=2023).first()
    assert (
        "超过本年度上限"
        not in client_for("bureau").get(reverse("assessments:file", args=[combined.pk])).content.decode()
    )


def test_the_admin_site_says_which_step_is_next(nominated_appointment, jiegu_clerk, city_admin, client_for):
    appointment = advance(nominated_appointment, "reported", clerk=jiegu_clerk, admin=city_admin)
    client = client_for("city_admin")
    response = client.post(
        reverse("admin:officers_appointment_changelist"),
        {"action": "step_file", "_selected_action": [appointment.pk], "apply": "1",
         "on_date": "2023-03-25", "reference": "玉市组〔2023〕7号"},
        follow=True,
    )  # fmt: skip
    said = " ".join(str(m) for m in get_messages(response.wsgi_request)) or response.content.decode()
    assert "还不能发文备案" in said and "下一步应办理“研究任职”" in said
    assert "可能已有他人办理" not in said
    appointment.refresh_from_db()
    assert appointment.status == "reported"

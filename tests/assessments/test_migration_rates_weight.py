"""The scheme's 三率 weight arrives at 0 for every existing scheme and leaves every stored score as it was;
on SQLite the table's rebuild keeps the trigger that locks a year's scheme once a result is filed."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import CommunityFactory, OfficerFactory
from tests.migrating import latest, migrate_to

BEFORE = [("assessments", "0006_dutyreport_submitted_at")]


@pytest.mark.django_db(transaction=True)
def test_existing_schemes_get_weight_zero_and_keep_their_scores():
    old = migrate_to(BEFORE)
    try:
        # Only the assessments' tables are rolled back: the officer and his community are today's models.
        officer = OfficerFactory()
        community = CommunityFactory()
        Scheme = old.get_model("assessments", "AssessmentScheme")
        Assessment = old.get_model("assessments", "AnnualAssessment")
        Scheme.objects.create(year=2022, performance_weight=40, business_weight=60)
        Assessment.objects.create(
            officer_id=officer.pk, year=2022, community_id=community.pk, status="filed",
            performance_score=Decimal("92"),
            business_score=Decimal("90"), quarter1="good", quarter2="good", quarter3="good", quarter4="good",
            weighted_score=Decimal("90.80"), grade="excellent", filed_at="2023-01-20T10:00:00+08:00",
        )  # fmt: skip
    finally:
        new = migrate_to(latest())
    Scheme = new.get_model("assessments", "AssessmentScheme")
    Assessment = new.get_model("assessments", "AnnualAssessment")
    scheme = Scheme.objects.get(year=2022)
    assert (scheme.rates_weight, scheme.performance_weight) == (0, 40)
    assert Assessment.objects.get(year=2022).weighted_score == Decimal("90.80")
    with pytest.raises(IntegrityError), transaction.atomic():  # the year is filed: its scheme stays locked
        Scheme.objects.filter(year=2022).update(rates_weight=10)

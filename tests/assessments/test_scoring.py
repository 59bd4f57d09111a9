"""The combined result: weighted score, grade at the thresholds, commendation eligibility."""

from decimal import Decimal

import pytest

from assessments.models import AssessmentScheme, Grade, QuarterGrade
from assessments.services import compute_result

GOOD = [QuarterGrade.GOOD] * 4
BOTH_EXCELLENT = [Grade.EXCELLENT, Grade.EXCELLENT]


def result(scheme, perf, bus, evaluations=BOTH_EXCELLENT, quarters=GOOD):
    return compute_result(
        scheme=scheme,
        performance_score=Decimal(perf),
        business_score=Decimal(bus),
        evaluations=evaluations,
        quarters=quarters,
    )


@pytest.mark.parametrize(
    "perf, bus, weighted, grade",
    [
        ("89.98", "90", "89.99", Grade.COMPETENT),  # 89.99: just below 优秀
        ("90", "90", "90.00", Grade.EXCELLENT),
        ("89", "91", "90.00", Grade.EXCELLENT),
        ("74.98", "75", "74.99", Grade.BASIC),
        ("75", "75", "75.00", Grade.COMPETENT),
        ("60", "60", "60.00", Grade.BASIC),
        ("59.99", "59.99", "59.99", Grade.INCOMPETENT),
        ("0", "0", "0.00", Grade.INCOMPETENT),
        ("100", "100", "100.00", Grade.EXCELLENT),
    ],
)
def test_default_scheme_at_the_thresholds(perf, bus, weighted, grade):
    scheme = AssessmentScheme(year=2023)  # defaults: 50/50, 90 / 75 / 60, cap 20 %
    got = result(scheme, perf, bus)
    assert got["weighted_score"] == Decimal(weighted)
    assert got["grade"] == grade


def test_rounding_is_half_up_to_two_places():
    scheme = AssessmentScheme(year=2023, performance_weight=30, business_weight=70)
    # 89.99 * 0.3 + 90.00 * 0.7 = 26.997 + 63 = 89.997 -> 90.00 (half up) -> 优秀
    got = result(scheme, "89.99", "90")
    assert got["weighted_score"] == Decimal("90.00")
    assert got["grade"] == Grade.EXCELLENT


def test_other_weights_and_thresholds():
    scheme = AssessmentScheme(
        year=2024,
        performance_weight=40,
        business_weight=60,
        excellent_threshold=Decimal("92"),
        competent_threshold=Decimal("80"),
        basic_threshold=Decimal("65"),
    )
    # 95*0.4 + 85*0.6 = 38 + 51 = 89 -> 称职 under these thresholds (优秀 under the defaults)
    got = result(scheme, "95", "85")
    assert got["weighted_score"] == Decimal("89.00")
    assert got["grade"] == Grade.COMPETENT
    assert result(scheme, "80", "100")["grade"] == Grade.EXCELLENT  # 32 + 60 = 92
    assert result(scheme, "70", "62")["grade"] == Grade.BASIC  # 28 + 37.2 = 65.2
    assert result(scheme, "70", "60")["grade"] == Grade.INCOMPETENT  # 28 + 36 = 64
    # the business score weighs more: swapping the two scores changes the result
    assert result(scheme, "100", "80")["weighted_score"] == Decimal("88.00")


def test_commendation_rule():
    scheme = AssessmentScheme(year=2023)
    assert result(scheme, "95", "95")["commendation_eligible"] is True
    assert result(scheme, "80", "80")["commendation_eligible"] is False  # 称职: below 优秀
    # an evaluation below 称职 excludes
    assert result(scheme, "95", "95", evaluations=[Grade.EXCELLENT, Grade.BASIC])["commendation_eligible"] is False
    # a 较差 quarter excludes, unless the year's rule says otherwise
    poor = [QuarterGrade.GOOD, QuarterGrade.POOR, QuarterGrade.GOOD, QuarterGrade.GOOD]
    assert result(scheme, "95", "95", quarters=poor)["commendation_eligible"] is False
    scheme.commendation_excludes_poor_quarter = False
    assert result(scheme, "95", "95", quarters=poor)["commendation_eligible"] is True
    # a looser rule: 称职 and above are candidates
    scheme.commendation_min_grade = Grade.COMPETENT
    assert result(scheme, "80", "80")["commendation_eligible"] is True

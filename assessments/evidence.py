"""The evidence of the year shown beside an officer's assessment (DOMAIN.md §4.5): the monthly talks held
(issue 4, 谈心谈话) and the work records by type (issue 5, 工作台账).

Those capabilities are being built in parallel and do not exist in this branch yet, so `evidence_for`
returns empty data with `available=False`, and the panel (templates/assessments/_evidence.html) says so.
When they land, this one function is filled in (one aggregate query each, scoped with visible_to(user));
the page and its template stay as they are.
"""


def evidence_for(*, officer, year: int, user) -> dict:
    return {
        "available": False,
        "year": year,
        "talk_count": 0,
        "talks": [],  # [{"held_on": date, "topics": str}], newest first
        "work_records_by_type": [],  # [{"label": str, "count": int}]
    }

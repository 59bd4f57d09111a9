"""A fictional demo data set for `make run`: officers, seats, talks, work records, police calls, assessments
and the demo accounts. Every demo person's name and text carries DEMO_MARK. Production code never imports
this package (tests/test_layers.py)."""

DEMO_MARK = "（演示）"

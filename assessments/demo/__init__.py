"""A fictional demo data set for `make run`: officers, seats, talks, work records, police calls, assessments
and the demo accounts. Every demo person's name and text carries DEMO_MARK. Production code never imports
this package (tests/test_layers.py)."""

DEMO_MARK = "（演示）"

# The demo's officers and records are Yushu City's: the prefecture's five counties stay as the reference data
# gives them (placeholders, 名称待核实), for their administrators to fill in.
DEMO_AREA = "yushu"

# The fictional province that `load_scale_data` hangs 玉树州 under (assessments/demo/scale.py).
DEMO_PROVINCE = "demo-province"

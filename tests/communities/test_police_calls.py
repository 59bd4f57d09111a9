"""Police calls received (警情接报数): typed entry, the import template, the all-or-nothing .xlsx import
with every error reported by row, re-import replacing a month (and saying so), and the DB constraints."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from communities.models import Community, PoliceCallCount
from yushu_gov.models import AuditEntry

from ..factories import PoliceCallCountFactory

HEADERS = ["社区", "年份", "月份", "警情接报数"]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("警情.xlsx", buffer.getvalue())


def _import(client, rows, **kwargs):
    return client.post(reverse("communities:police_call_import"), {"file": _xlsx(rows, **kwargs)}, follow=True)


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_a_good_file_is_imported(client_for, bureau):
    response = _import(client_for("bureau"), [["民主路社区", 2023, 1, 12], ["胜利路社区", "2023", "1月", "7"]])
    assert response.status_code == 200
    assert {(c.community.name, c.year, c.month, c.count) for c in PoliceCallCount.objects.all()} == {
        ("民主路社区", 2023, 1, 12),
        ("胜利路社区", 2023, 1, 7),
    }
    assert "已导入 2 条警情接报数。" in _messages(response)
    entry = AuditEntry.objects.get(action="communities.police_calls.imported")
    assert entry.actor == bureau and entry.changes["rows"] == [None, 2]


def test_every_bad_row_is_reported_by_number_and_nothing_is_saved(client_for, reference):
    PoliceCallCountFactory(community=Community.objects.get(name="民主路社区"), year=2023, month=1, count=99)
    rows = [
        ["民主路社区", 2023, 1, 12],  # row 2: good
        ["不存在社区", 2023, 1, 5],  # row 3: unknown community
        ["红卫路社区", 2023, 13, 5],  # row 4: bad month
        ["新建路社区", 2023, "一月", 5],  # row 5: bad month
        ["西杭社区", 2023, 2, -3],  # row 6: negative
        ["胜利路社区", 2023, 2, "十二"],  # row 7: not a number
        ["民主路社区", 2023, 1, 14],  # row 8: duplicate of row 2
        ["扎西科社区", 2023, 2, 4.5],  # row 9: not a whole number
        [None, None, None, None],  # empty row: skipped
        ["德尼格社区", 1999, 2, 1],  # row 11: bad year
        ["西同社区", 2023, 2, None],  # row 12: empty count
    ]
    response = _import(client_for("bureau"), rows)
    errors = response.context["errors"]
    assert [e.split("：")[0] for e in errors] == [f"第{n}行" for n in (3, 4, 5, 6, 7, 8, 9, 11, 12)]
    text = "\n".join(errors)
    assert "社区“不存在社区”不存在" in text
    assert "月份“13”无效" in text and "月份“一月”无效" in text
    assert "不能为负数（-3）" in text
    assert "“十二”不是整数" in text and "“4.5”不是整数" in text
    assert "与第2行重复" in text
    assert "年份“1999”无效" in text
    assert "警情接报数为空" in text
    assert "未保存任何数据" in response.content.decode()
    # Nothing saved, nothing replaced.
    assert list(PoliceCallCount.objects.values_list("count", flat=True)) == [99]
    assert not AuditEntry.objects.filter(action="communities.police_calls.imported").exists()


def test_wrong_headers_and_wrong_files_are_refused(client_for):
    client = client_for("bureau")
    response = _import(client, [["民主路社区", 2023, 1, 12]], headers=["名称", "年", "月", "数"])
    assert "第1行表头应为" in response.context["errors"][0]
    response = client.post(
        reverse("communities:police_call_import"), {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")}
    )
    assert "无法读取文件" in response.context["errors"][0]
    response = client.post(reverse("communities:police_call_import"), {"file": SimpleUploadedFile("a.csv", b"x")})
    assert ".xlsx" in response.context["form"].errors["file"][0]
    assert not PoliceCallCount.objects.exists()


def test_reimporting_a_month_replaces_it_and_says_so(client_for):
    client = client_for("bureau")
    _import(client, [["民主路社区", 2023, 1, 12], ["胜利路社区", 2023, 1, 7], ["民主路社区", 2023, 2, 9]])
    response = _import(client, [["民主路社区", 2023, 1, 20]])
    assert "2023年1月原有的 2 条数据已被本次导入替换。" in _messages(response)
    assert sorted(PoliceCallCount.objects.values_list("community__name", "month", "count")) == [
        ("民主路社区", 1, 20),
        ("民主路社区", 2, 9),  # another month: untouched
    ]
    entry = AuditEntry.objects.filter(action="communities.police_calls.imported").first()
    assert entry.changes["replaced"] == [None, {"2023-01": 2}]


def test_the_template_lists_the_communities_with_the_headers(client_for):
    response = client_for("bureau").get(reverse("communities:police_call_template"))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    # the city bureau's communities, not the counties'
    assert {r[0] for r in rows[1:]} == set(
        Community.objects.filter(street__area__code="yushu").values_list("name", flat=True)
    )


def test_typed_entry_creates_and_corrects_a_figure(client_for, bureau):
    client = client_for("bureau")
    minzhu = Community.objects.get(name="民主路社区")
    data = {"community": minzhu.pk, "year": 2023, "month": 3, "count": 8}
    response = client.post(reverse("communities:police_call_set"), data)
    assert response.status_code == 302 and response.url.endswith("?year=2023")
    client.post(reverse("communities:police_call_set"), {**data, "count": 6})
    figure = PoliceCallCount.objects.get()
    assert figure.count == 6
    entry = AuditEntry.objects.get(action="communities.police_call_count.changed")
    assert entry.changes == {"count": [8, 6]} and entry.actor == bureau
    page = client.get(reverse("communities:police_calls"), {"year": 2023}).content.decode()
    assert ">6</td>" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"count": -1}, "count"), ({"count": "abc"}, "count"), ({"month": 13}, "month"), ({"year": 1800}, "year")],
)
def test_typed_entry_refuses_bad_values(client_for, reference, overrides, field):
    minzhu = Community.objects.get(name="民主路社区")
    data = {"community": minzhu.pk, "year": 2023, "month": 3, "count": 8, **overrides}
    response = client_for("bureau").post(reverse("communities:police_call_set"), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not PoliceCallCount.objects.exists()


@pytest.mark.parametrize(
    "fields", [{"month": 13}, {"month": 0}, {"count": -1}, {"year": 1999}], ids=["month13", "month0", "neg", "year"]
)
def test_the_rules_are_database_constraints(reference, fields):
    minzhu = Community.objects.get(name="民主路社区")
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceCallCount.objects.create(community=minzhu, **{"year": 2023, "month": 1, "count": 1, **fields})


def test_one_figure_per_community_and_month(reference):
    minzhu = Community.objects.get(name="民主路社区")
    PoliceCallCount.objects.create(community=minzhu, year=2023, month=1, count=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliceCallCount.objects.create(community=minzhu, year=2023, month=1, count=2)


def test_the_grid_is_scoped(client_for, reference):
    PoliceCallCountFactory(community=Community.objects.get(name="民主路社区"), year=2023, month=4, count=31)
    PoliceCallCountFactory(community=Community.objects.get(name="胜利路社区"), year=2023, month=4, count=47)
    page = client_for("jiegu_clerk").get(reverse("communities:police_calls"), {"year": 2023}).content.decode()
    assert ">31</td>" in page and ">47</td>" not in page and "胜利路社区" not in page


def test_a_concurrent_import_of_the_same_month_is_a_message_not_a_500(client_for, reference, monkeypatch):
    PoliceCallCountFactory(community=Community.objects.get(name="民主路社区"), year=2023, month=1, count=99)

    def collide(*args, **kwargs):
        raise IntegrityError("one_police_call_count_per_community_month")

    monkeypatch.setattr(PoliceCallCount.objects, "bulk_create", collide)
    response = _import(client_for("bureau"), [["民主路社区", 2023, 1, 12]])
    assert response.status_code == 200
    assert "刚被他人导入或录入" in response.context["errors"][0]
    assert list(PoliceCallCount.objects.values_list("count", flat=True)) == [99]  # the deletion rolled back


def test_import_refuses_infinite_and_absurd_counts_without_a_500(reference, city_admin):
    from communities import services
    from communities.models import PoliceCallCount

    rows = [
        services.ImportRow(2, "民主路社区", 2023, 1, "Infinity"),
        services.ImportRow(3, "新建路社区", 2023, 1, "sNaN"),
        services.ImportRow(4, "红卫路社区", "Infinity", 1, 5),
        services.ImportRow(5, "扎西南路社区", 2023, 1, 3_000_000_000),
    ]
    with pytest.raises(services.ImportErrors) as exc:
        services.police_calls_import(rows=rows, by=city_admin)
    messages = exc.value.messages
    assert len(messages) == 4, messages
    assert any("不是整数" in m for m in messages) and any("过大" in m for m in messages)
    assert any("年份" in m for m in messages)
    assert not PoliceCallCount.objects.exists()


def test_the_grid_shows_one_street_under_every_streets_totals(client_for, reference):
    PoliceCallCountFactory(community=Community.objects.get(name="民主路社区"), year=2023, month=4, count=31)
    PoliceCallCountFactory(community=Community.objects.get(name="胜利路社区"), year=2023, month=4, count=47)
    PoliceCallCountFactory(community=Community.objects.get(name="胜利路社区"), year=2022, month=4, count=50)
    client = client_for("bureau")
    first = client.get(reverse("communities:police_calls"), {"year": 2023})
    totals = {s.name: (s.total, s.last_total) for s in first.context["streets"]}
    assert totals["结古街道"] == (31, 0) and totals["西杭街道"] == (47, 50)
    assert first.context["street"].name == "结古街道" and "胜利路社区" not in first.content.decode()
    xihang = reference["xihang"].pk
    page = client.get(reverse("communities:police_calls"), {"year": 2023, "street": xihang}).content.decode()
    assert ">47</td>" in page and "民主路社区" not in page and ">50</td>" in page


def test_typed_entry_without_javascript_takes_the_communitys_full_name(client_for, bureau, reference):
    client = client_for("bureau")
    data = {"community_q": "民主路社区", "year": 2023, "month": 3, "count": 8}
    assert client.post(reverse("communities:police_call_set"), data).status_code == 302
    assert PoliceCallCount.objects.get().community.name == "民主路社区"
    wrong = client.post(reverse("communities:police_call_set"), {**data, "community_q": "民主"})
    assert wrong.status_code == 200 and "community" in wrong.context["form"].errors
    clerk = client_for("jiegu_clerk").get(reverse("communities:police_calls")).content.decode()
    assert 'name="community_q"' not in clerk  # street staff read the figures; the bureau enters them

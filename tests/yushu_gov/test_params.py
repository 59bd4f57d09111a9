from django.http import QueryDict

from yushu_gov.lists.params import MAX_ID, int_param


def test_whole_numbers_in_range_are_read():
    params = QueryDict("year=2023&street= 4 &page=12")
    assert int_param(params, "year", low=2000, high=2100) == 2023
    assert int_param(params, "street") == 4
    assert int_param(params, "page", high=10, default=1) == 1


def test_anything_else_is_absent_never_an_error():
    for value in ["", "²", "9" * 30, "-1", "0", "1.5", "0x10", "１２", "12abc", str(MAX_ID + 1)]:
        assert int_param({"n": value}, "n") is None, value
    assert int_param({}, "n", default=7) == 7

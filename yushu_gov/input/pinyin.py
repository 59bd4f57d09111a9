"""Search by pinyin: a name's search key holds its full pinyin and its initials ("扎西多杰" →
"zhaxiduojie zxdj"), kept in a column beside the name, so that "zxdj", "zhaxi" and "扎西" all find 扎西多杰
with one indexed-free `icontains` on two columns (yushu_gov/pinyin.search_q)."""

import re

from django.db.models import Q
from pypinyin import Style, lazy_pinyin

MAX_QUERY = 50  # a search is never longer than this


def pinyin_key(name: str) -> str:
    """ "zhaxiduojie zxdj" for 扎西多杰; only the Chinese characters count (（演示） and Latin letters too)."""
    name = re.sub(r"[（(][^）)]*[）)]", "", name or "")  # a note in brackets, such as （演示）, is not the name
    syllables = [s.lower() for s in lazy_pinyin(name, errors="ignore") if s.isascii() and s.isalpha()]
    initials = [s.lower() for s in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")]
    initials = [s for s in initials if s.isascii() and s.isalpha()]
    return f"{''.join(syllables)} {''.join(initials)}".strip()[:200]


def normalized_query(value: str) -> str:
    """What the user typed, trimmed and bounded; spaces inside pinyin ("zha xi") removed."""
    value = (value or "").strip()[:MAX_QUERY]
    if re.fullmatch(r"[A-Za-z\s']+", value):
        return re.sub(r"[\s']+", "", value).lower()
    return value


def search_q(value: str, *, name: str = "name", key: str = "name_pinyin") -> Q:
    """A filter matching `value` in the name, or in its pinyin key when it is typed in Latin letters."""
    value = normalized_query(value)
    if not value:
        return Q()
    condition = Q(**{f"{name}__icontains": value})
    if value.isascii() and value.isalpha():
        condition |= Q(**{f"{key}__icontains": value.lower()})
    return condition

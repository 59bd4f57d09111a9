"""Tibetan text on pages: `{{ name|tsheg_breaks }}` (yushu_gov/input/tibetan.py)."""

from django import template

from yushu_gov.input.tibetan import tsheg_breaks as _tsheg_breaks

register = template.Library()


@register.filter(is_safe=True)
def tsheg_breaks(value):
    return _tsheg_breaks(value)

"""List pages: sortable column headers (yushu_gov/lists/sorting.py)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, sorting, column: str, label) -> str:
    """A column header that sorts the list by `column` (a link keeping the other parameters, back to page 1);
    a plain header when the list cannot be sorted by it."""
    if sorting is None or column not in sorting.columns:
        return format_html("<th>{}</th>", label)
    query = context["request"].GET.copy()
    query["sort"] = sorting.next_value(column)
    for name in ("page", "after", "before"):  # a page number or a keyset cursor (yushu_gov/lists/keyset.py)
        query.pop(name, None)
    state = sorting.state(column)
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(state, "")
    hint = _("按%(label)s排序") % {"label": label}
    if state:
        return format_html(
            '<th class="sortable" aria-sort="{}"><a href="?{}" title="{}">{}{}</a></th>',
            state,
            query.urlencode(),
            hint,
            label,
            arrow,
        )
    return format_html('<th class="sortable"><a href="?{}" title="{}">{}</a></th>', query.urlencode(), hint, label)

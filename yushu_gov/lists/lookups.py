"""Search-as-you-type fields for filters that pick one officer or one community out of thousands.

A `<select>` of every officer in a province is megabytes of HTML. A lookup field is two inputs instead:

- a text box, `<name>_q`, where the user types a name, its pinyin or initials, or a number;
- a hidden input, `<name>`, carrying the id of the record picked from the suggestions.

static/js/lookup.js asks the app's scoped JSON endpoint (`lookup_response`) for at most `MAX_RESULTS`
suggestions as the user types, puts the one picked into the hidden input and takes the text box out of the
submitted form. Without JavaScript the text box is submitted and the filter matches what was typed (the
FilterSet's method receives a `Picked` with `pk` None and the `text`). A link may name the record by id
(`?officer=12`): `show_picked` writes its name into the text box (one query, only then).
"""

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yushu_gov.input.labels import COMMUNITY_SEARCH_HINT, OFFICER_SEARCH_HINT
from yushu_gov.input.pinyin import MAX_QUERY, normalized_query
from yushu_gov.lists.params import MAX_ID

MAX_RESULTS = 20
TEXT_SUFFIX = "_q"
OFFICER_PLACEHOLDER = OFFICER_SEARCH_HINT  # what an officer's text box asks for
COMMUNITY_PLACEHOLDER = COMMUNITY_SEARCH_HINT
MAX_TYPED_MATCHES = 200  # a typed name filters by at most this many records' ids (one small query first)


def typed_ids(queryset: QuerySet, condition) -> list[int]:
    """The ids (at most MAX_TYPED_MATCHES) of the records in `queryset` that a typed text matches. A list
    filtered by `officer_id__in=<these>` reads the (officer, date) index; a join on the officer's name would
    make PostgreSQL scan every record of the list."""
    return list(queryset.filter(condition).order_by().values_list("pk", flat=True)[:MAX_TYPED_MATCHES])


@dataclass(frozen=True)
class Picked:
    """A lookup field's value: the id picked (None when only typed) and the text in the box."""

    pk: int | None
    text: str


class LookupWidget(forms.MultiWidget):
    """The hidden id and the text box, wrapped for lookup.js (which finds them by their data attributes)."""

    def __init__(self, *, url_name: str, placeholder: str = "", attrs=None):
        self.url_name = url_name
        self.query = ""  # a fixed part of the suggestions' query string (e.g. "community=5"), set by a form
        text = forms.TextInput(
            attrs={"maxlength": MAX_QUERY, "autocomplete": "off", "placeholder": placeholder, "data-lookup-text": ""}
        )
        super().__init__({"": forms.HiddenInput(attrs={"data-lookup-id": ""}), TEXT_SUFFIX[1:]: text}, attrs)

    def decompress(self, value):
        if isinstance(value, Picked):
            return [value.pk, value.text]
        return [None, ""]

    def id_for_label(self, id_):
        return f"{id_}_1" if id_ else id_  # the label names the text box (the second input)

    def render(self, name, value, attrs=None, renderer=None):
        inputs = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="lookup" data-lookup="{}" data-lookup-max="{}">{}</span>',
            reverse(self.url_name) + (f"?{self.query}" if self.query else ""),
            MAX_RESULTS,
            inputs,
        )


class LookupField(forms.MultiValueField):
    """Cleans to a `Picked`, or None when both inputs are empty. An id that is not a whole number within
    range is dropped (the typed text still counts), like every invalid filter value."""

    def __init__(self, *, url_name: str, placeholder: str = "", **kwargs):
        kwargs.setdefault("required", False)
        fields = (
            forms.IntegerField(min_value=1, max_value=MAX_ID, required=False),
            forms.CharField(max_length=MAX_QUERY, required=False),
        )
        widget = LookupWidget(url_name=url_name, placeholder=placeholder)
        super().__init__(fields, require_all_fields=False, widget=widget, **kwargs)

    def clean(self, value):
        pk, text = (list(value) + [None, None])[:2] if isinstance(value, (list, tuple)) else (None, None)
        try:
            pk = self.fields[0].clean(pk)
        except forms.ValidationError:
            pk = None
        text = self.fields[1].clean((text or "")[:MAX_QUERY]).strip()
        return Picked(pk, text) if pk or text else None

    def compress(self, data_list):  # clean() above does the work
        return None


def show_picked(filterset, name: str, queryset: QuerySet, *, label: str = "name") -> None:
    """For a FilterSet (before its form is built) or a bound Form: when the data names a record by id, put its
    label into the text box; when the text box says something else (typed over a pick without JavaScript), the
    text wins and the id is dropped. `queryset` is the user's scope, so a record outside it shows nothing."""
    data = filterset.data
    raw = str(data.get(name, "") or "")
    if not raw.isdigit() or not (0 < int(raw) <= MAX_ID):
        return
    typed = str(data.get(name + TEXT_SUFFIX, "") or "").strip()
    shown = queryset.filter(pk=int(raw)).values_list(label, flat=True).first()
    data = data.copy()
    if typed and typed != shown:
        data.pop(name)
    elif shown:
        data[name + TEXT_SUFFIX] = shown
    filterset.data = data


def lookup_response(request, queryset: QuerySet, *, search, row) -> JsonResponse:
    """The JSON suggestions for what the user typed (`?q=`, at most MAX_QUERY characters, empty gives none):
    `search(text)` is the condition, `row(obj)` the {"id", "label", "hint"} of one record; at most MAX_RESULTS
    of `queryset`, which must already be the user's scope."""
    text = normalized_query(str(request.GET.get("q", ""))[:MAX_QUERY])
    rows = list(queryset.filter(search(text))[: MAX_RESULTS + 1]) if text else []
    response = JsonResponse({"results": [row(obj) for obj in rows[:MAX_RESULTS]], "more": len(rows) > MAX_RESULTS})
    response["Cache-Control"] = "private, no-store"
    return response


class LookupChoiceWidget(LookupWidget):
    """The lookup widget of a form field that saves a record (`LookupModelChoiceField`): the text box shows the
    picked record's label, read from the field's queryset (one query, only when a record is picked)."""

    queryset: QuerySet | None = None
    label_field = "name"

    def decompress(self, value):
        if isinstance(value, Picked):
            pk, text = value.pk, value.text
        else:
            pk, text = getattr(value, "pk", value), ""
        if pk and not text and self.queryset is not None and str(pk).isdigit():
            text = self.queryset.filter(pk=pk).values_list(self.label_field, flat=True).first() or ""
        return [pk, text]

    def value_from_datadict(self, data, files, name):
        pk, text = super().value_from_datadict(data, files, name)
        return Picked(int(pk) if str(pk or "").isdigit() and 0 < int(pk) <= MAX_ID else None, (text or "")[:MAX_QUERY])


class LookupModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField picked by search-as-you-type instead of a `<select>`: the page holds the picked record's
    label, never the list of every choice. Cleans the id picked, or, without JavaScript, the exact label typed
    when exactly one record of the queryset bears it, to a record of `queryset` (which must be the user's
    scope, the same the endpoint `url_name` suggests from)."""

    widget = LookupChoiceWidget
    default_error_messages = {
        "invalid_choice": _("没有这一项，请从候选中选择或输入完整的名称。"),
    }

    def __init__(self, queryset, *, url_name: str, placeholder: str = "", label_field: str = "name", **kwargs):
        kwargs["widget"] = LookupChoiceWidget(url_name=url_name, placeholder=placeholder)
        kwargs["widget"].label_field = label_field
        self.label_field = label_field
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.queryset = result.queryset  # each form's copy reads its own queryset
        return result

    def to_python(self, value):
        if not isinstance(value, Picked):
            value = Picked(int(value) if str(value or "").isdigit() else None, "")
        if value.pk:
            return super().to_python(value.pk)
        if not value.text.strip():
            return None
        found = list(self.queryset.filter(**{self.label_field: value.text.strip()})[:2])
        if len(found) != 1:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found[0]

    def has_changed(self, initial, data):
        picked = data.pk if isinstance(data, Picked) else data
        return str(picked or "") != str(getattr(initial, "pk", initial) or "")

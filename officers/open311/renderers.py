"""GeoReport v2's two formats: JSON (a list, or an object for discovery) and XML (the same data under the
standard's element names: <services><service>, <service_requests><request>, <errors><error>, …)."""

import json
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

# A list's element -> the name of each of its items, in XML.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "stages": "stage",
}


def _xml(parent: Element, name: str, value) -> None:
    node = SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml(node, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml(node, ITEM_NAMES.get(name, "item"), item)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def render(data, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """`data` as JSON, or as XML under the element `root` (a list's items take ITEM_NAMES[root])."""
    if fmt == "xml":
        top = Element(root)
        items = data.items() if isinstance(data, dict) else [(ITEM_NAMES.get(root, "item"), item) for item in data]
        for name, value in items:
            _xml(top, name, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(top, encoding="utf-8", xml_declaration=False)
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def render_errors(errors: list[tuple[int, str]], *, fmt: str, status: int) -> HttpResponse:
    """The standard's error list: [{"code": 400, "description": "…"}]."""
    data = [{"code": code, "description": description} for code, description in errors]
    return render(data, fmt=fmt, root="errors", status=status)

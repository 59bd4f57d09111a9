"""The Open311 GeoReport v2 endpoints and the 12345 hotline's work orders. Thin: parse and bound the input,
ask the selectors or the services, answer in the format the path names (.json or .xml). Every refusal is the
standard's error list with 400, 403 or 404; nothing a caller sends answers 500."""

from datetime import datetime, timedelta
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.models import Community
from officers.resident_requests.models import Category, ResidentRequest
from yushu_gov.input.labels import RESIDENT_REQUESTS
from yushu_gov.security.clients import client_ip

from . import selectors, services
from .renderers import render, render_errors

MAX_PAGE = 1000  # items per page of every list
MAX_RANGE = timedelta(days=90)  # start_date to end_date
MAX_IDS = 100  # numbers in one service_request_id
MAX_PARAM = 2000  # characters of one parameter
# A category's service definition: every service asks for the community (address_id will do as well);
# where a category asks for more, the attributes below follow.
LANDMARK_CATEGORIES = ("facility", "security")


UNKNOWN_SERVICE = gettext_lazy("未知的服务代码（service_code）。")


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, code: int | None = None):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code or status


def api(methods=("GET",)):
    """The frame of every endpoint: the methods it answers, CSRF off (callers are platforms, not browsers,
    and a write needs an api_key), the format from the path, and every ApiError, KeyRefused or invalid
    input as the standard's error list."""

    def decorate(view):
        @csrf_exempt
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request, *args, fmt="json", **kwargs):
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except ApiError as exc:
                return render_errors([(exc.code, exc.message)], fmt=fmt, status=exc.status)
            except services.KeyRefused as exc:
                response = render_errors([(403, exc.message)], fmt=fmt, status=403)
                if exc.retry_after:
                    response["Retry-After"] = str(exc.retry_after)
                return response
            except ValidationError as exc:
                return render_errors([(400, message) for message in exc.messages], fmt=fmt, status=400)

        return wrapper

    return decorate


def _param(request, name: str) -> str:
    source = request.POST if request.method == "POST" else request.GET
    value = source.get(name, "")
    if len(value) > MAX_PARAM:
        raise ApiError(400, _("参数“%(name)s”过长。") % {"name": name})
    return value.strip()


def _date(request, name: str) -> datetime | None:
    value = _param(request, name)
    if not value:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "+"))  # a "+" left unencoded in a query string is a space
    except ValueError:
        parsed = None
    if parsed is None:
        raise ApiError(400, _("日期“%(name)s”须为ISO 8601格式，例如2026-03-01T00:00:00+08:00。") % {"name": name})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _jurisdiction(request) -> None:
    value = _param(request, "jurisdiction_id")
    if value and value != selectors.JURISDICTION_ID:
        message = _("未知的jurisdiction_id：本接口只服务玉树市（%(id)s）。")
        raise ApiError(404, message % {"id": selectors.JURISDICTION_ID})


def _page(request) -> int:
    value = _param(request, "page") or "1"
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise ApiError(400, _("页码须为正整数。"))
    return int(value)


def _with_next(response: HttpResponse, request, *, more: bool, **changes) -> HttpResponse:
    """The next page, when there is one, in the Link header (GeoReport v2's answer is a bare list)."""
    if more:
        query = request.GET.copy()
        for name, value in changes.items():
            query[name] = str(value)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
    return response


def _services() -> list[dict]:
    return [
        {
            "service_code": code,
            "service_name": str(label),
            "description": str(label),
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": str(RESIDENT_REQUESTS),
        }
        for code, label in Category.choices
    ]


# ---------------------------------------------------------------- discovery and services


@api()
def discovery(request, *, fmt):
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0] + "/"
    data = {
        "changeset": "2026-12-06T00:00:00+08:00",
        "contact": _("玉树市委组织部（民警副书记管理系统）"),
        "key_service": _("接口密钥由本系统安全管理员按接入平台签发。"),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-12-06T00:00:00+08:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(data, fmt=fmt, root="discovery")


@api()
def service_list(request, *, fmt):
    _jurisdiction(request)
    return render(_services(), fmt=fmt, root="services")


@api()
def service_definition(request, code: str, *, fmt):
    _jurisdiction(request)
    if code not in Category.values:
        raise ApiError(404, str(UNKNOWN_SERVICE))
    communities = Community.objects.order_by("street__sort_order", "sort_order", "pk").values_list("code", "name")
    attributes = [
        {
            "variable": True,
            "code": "community",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": _("诉求所在社区（也可用address_id给出社区编码）。"),
            "order": 1,
            "description": _("所在社区"),
            "values": [{"key": key, "name": name} for key, name in communities],
        }
    ]
    if code in LANDMARK_CATEGORIES:
        attributes.append(
            {
                "variable": True,
                "code": "landmark",
                "datatype": "string",
                "required": False,
                "datatype_description": _("附近的标志性地点（不超过100字），只交办理民警，不公开。"),
                "order": 2,
                "description": _("附近标志性地点"),
            }
        )
    attributes.append(
        {
            "variable": True,
            "code": "public_consent",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("群众同意公开（诉求类别、办理状态和日期，不含个人信息）时填 true。"),
            "order": 3,
            "description": str(ResidentRequest._meta.get_field("public_consent").verbose_name),
            "values": [{"key": "true", "name": _("同意")}, {"key": "false", "name": _("不同意")}],
        }
    )
    return render({"service_code": code, "attributes": attributes}, fmt=fmt, root="service_definition")


# ---------------------------------------------------------------- requests


def _community(request):
    code = _param(request, "attribute[community]") or _param(request, "address_id")
    community = Community.objects.filter(code=code).first() if code else None
    if community is None:
        raise ApiError(400, _("须给出诉求所在社区：attribute[community] 或 address_id（社区编码）。"))
    return community


def _submit_data(request) -> dict:
    """The web form's fields from a GeoReport v2 POST, bounded as the form bounds them."""
    code = _param(request, "service_code")
    if code not in Category.values:
        raise ApiError(400, str(UNKNOWN_SERVICE))
    description = _param(request, "description")
    landmark = _param(request, "attribute[landmark]") or _param(request, "address_string")
    name = " ".join(part for part in (_param(request, "last_name"), _param(request, "first_name")) if part)
    phone = _param(request, "phone")
    limits = {"description": 1000, "location": 100, "resident_name": 30, "resident_phone": 11}
    data = {
        "category": code,
        "description": description,
        "location": landmark,
        "resident_name": name,
        "resident_phone": phone,
        # A partner passes a phone only with the caller's consent to be called back (attribute[contact_consent]).
        "contact_consent": _param(request, "attribute[contact_consent]").lower() in ("true", "1", "yes"),
        # Listed by the open interfaces only with the caller's consent, as the web form's "可以公开".
        "public_consent": _param(request, "attribute[public_consent]").lower() in ("true", "1", "yes"),
    }
    if not description:
        raise ApiError(400, _("须填写诉求内容（description）。"))
    for field, limit in limits.items():
        if len(data[field]) > limit:
            raise ApiError(400, _("“%(field)s”不能超过%(limit)s字。") % {"field": field, "limit": limit})
    return data


def _created(partner_request, *, fmt, status: int) -> HttpResponse:
    resident_request = partner_request.request
    notice = _("查询码%(code)s：请告知群众凭此码在社区页面查询进度并评价。") % {"code": resident_request.tracking_code}
    data = [
        {
            "service_request_id": resident_request.number,
            "token": str(partner_request.token),
            "service_notice": notice,
            "account_id": None,
        }
    ]
    return render(data, fmt=fmt, root="service_requests", status=status)


def _key(request, scope: str):
    """The caller's partner key (the standard's api_key parameter, or the X-Api-Key header, which keeps it out of
    URLs and their logs), refused (403) unless active, in scope and within its rate; every use audited."""
    raw = _param(request, "api_key") or request.headers.get("X-Api-Key", "")[:MAX_PARAM]
    return services.partner_key_use(raw=raw, scope=scope, endpoint=request.path, ip=client_ip(request))


def _post_request(request, *, key, fmt, external_id: str = ""):
    _jurisdiction(request)
    community = _community(request)
    partner_request, created = services.partner_request_submit(
        key=key, community=community, data=_submit_data(request), external_id=external_id
    )
    return _created(partner_request, fmt=fmt, status=201 if created else 200)


@api(methods=("GET", "POST"))
def requests(request, *, fmt):
    """GET: the public requests, filtered and paged; POST: a new request (api_key needed)."""
    if request.method == "POST":
        return _post_request(request, key=_key(request, "post"), fmt=fmt)
    _jurisdiction(request)
    found = selectors.public_requests()
    numbers = [n.strip() for n in _param(request, "service_request_id").split(",") if n.strip()]
    if numbers:
        if len(numbers) > MAX_IDS:
            raise ApiError(400, _("一次最多查询%(n)s个诉求编号。") % {"n": MAX_IDS})
        found = found.filter(selectors.number_filter(numbers))  # overrides every other filter (the standard)
    else:
        start, end = _date(request, "start_date"), _date(request, "end_date")
        if start and end and end < start:
            raise ApiError(400, _("end_date不能早于start_date。"))
        end = end or (start + MAX_RANGE if start else timezone.now())
        start = start or end - MAX_RANGE
        if end - start > MAX_RANGE:
            raise ApiError(400, _("start_date至end_date不能超过90天。"))
        found = found.filter(submitted_at__gte=start, submitted_at__lte=end)
        codes = [c.strip() for c in _param(request, "service_code").split(",") if c.strip()]
        if codes:
            if set(codes) - set(Category.values):
                raise ApiError(400, str(UNKNOWN_SERVICE))
            found = found.filter(category__in=codes)
        statuses = {s.strip() for s in _param(request, "status").split(",") if s.strip()}
        if statuses - {selectors.OPEN, selectors.CLOSED}:
            raise ApiError(400, _("status只能是open或closed。"))
        if statuses == {selectors.OPEN}:
            found = found.filter(status__in=ResidentRequest.OPEN)
        elif statuses == {selectors.CLOSED}:
            found = found.filter(status__in=ResidentRequest.DONE)
    page = _page(request)
    rows = selectors.request_rows(found, offset=(page - 1) * MAX_PAGE, limit=MAX_PAGE + 1)
    items = selectors.request_items(rows[:MAX_PAGE])
    response = render(items, fmt=fmt, root="service_requests")
    return _with_next(response, request, more=len(rows) > MAX_PAGE, page=page + 1)


@api()
def request_detail(request, number: str, *, fmt):
    _jurisdiction(request)
    rows = list(selectors.public_requests().filter(selectors.number_filter([number])).values(*selectors.FIELDS)[:1])
    if not rows:
        raise ApiError(404, _("没有这个诉求编号（service_request_id）。"))
    return render(selectors.request_items(rows), fmt=fmt, root="service_requests")


@api()
def token(request, token: str, *, fmt):
    _jurisdiction(request)
    from .models import PartnerRequest

    found = PartnerRequest.objects.filter(token=token).select_related("request").first()
    if found is None or not selectors.public_requests().filter(pk=found.request_id).exists():
        raise ApiError(404, _("没有这个提交凭据（token）。"))
    return render(
        [{"service_request_id": found.request.number, "token": str(found.token)}], fmt=fmt, root="service_requests"
    )


# ---------------------------------------------------------------- the 12345 hotline's work orders


@api(methods=("POST",))
def work_order_create(request, *, fmt):
    """A work order of the 12345 hotline: a request on behalf of a caller, with the ticket as external_id
    (the same ticket again returns the request it made, 200 instead of 201)."""
    key = _key(request, "work_orders")
    external_id = _param(request, "external_id")
    if not external_id or len(external_id) > 64:
        raise ApiError(400, _("须给出12345工单号（external_id，不超过64个字符）。"))
    return _post_request(request, key=key, fmt=fmt, external_id=external_id)


@api()
def work_order_changes(request, *, fmt):
    """Every stage of the partner's requests since a time (the hotline's 回访), oldest first, paged by the
    last stage id seen (`after`)."""
    key = _key(request, "work_orders")
    since = _date(request, "since")
    if since is None:
        raise ApiError(400, _("须给出起始时间since（ISO 8601）。"))
    after = _param(request, "after") or "0"
    if not after.isdigit() or len(after) > 18:
        raise ApiError(400, _("after须为办理步骤编号（整数）。"))
    stages = selectors.stage_feed(partner=key, since=since, after=int(after), limit=MAX_PAGE + 1)
    items = stages[:MAX_PAGE]
    response = render(items, fmt=fmt, root="stages")
    more = len(stages) > MAX_PAGE
    return _with_next(response, request, more=more, after=items[-1]["stage_id"] if more else 0)


@api(methods=("POST",))
def webhook(request, *, fmt):
    """The partner registers (or, with an empty url, removes) the address its stages are pushed to; the answer
    holds the signing secret, given this once."""
    key = _key(request, "work_orders")
    url = _param(request, "url")
    if url and not url.startswith(("https://", "http://")):
        raise ApiError(400, _("推送地址须以https://或http://开头。"))
    secret = services.webhook_register(key=key, url=url)
    return render({"url": url, "secret": secret, "signature": "HMAC-SHA256"}, fmt=fmt, root="webhook")

"""The residents' pages, without an account: 反映诉求 from the community's public directory page or its QR card,
the tracking code, the status page and the rating.

The tracking code never travels in a URL (it would stay in the address bar, the browser history and the
server's logs): the resident types it into a form, and the request it names is then remembered in the
resident's session. The status page is built field by field from a plain dict: the resident's name, phone
and photo, and the officers' internal notes, never reach its template.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from communities.models import Community
from yushu_gov.input import idempotency
from yushu_gov.input.forms import apply_errors
from yushu_gov.lists.params import int_param
from yushu_gov.security.clients import client_bucket

from . import services, uploads
from .forms import RateForm, SubmitForm, TrackForm
from .models import HeldUpload, RequestStep, ResidentRequest
from .similar import similar_open

MAX_BODY_BYTES = 20 * 1024 * 1024  # three 5 MB photos, a 3 MB voice message and the text, with room to spare
SUBMITTED_KEY = "resident_requests.submitted"  # the code just given, shown once more on the next page
TRACKED_KEY = "resident_requests.tracked"  # the request the resident looked up with its code


@never_cache
def request_new(request, code: str):
    """反映诉求: the phone-sized form of a community. Photos sent with a form that comes back with an error
    are held under the form's upload token (uploads.py) and go with the request once it is submitted."""
    community = get_object_or_404(Community.objects.select_related("street"), code=code)
    context = {"community": community, "retention_days": settings.RESIDENT_REQUEST_RETENTION_DAYS}
    if request.method == "POST" and int_param(request.META, "CONTENT_LENGTH", low=0, default=0) > MAX_BODY_BYTES:
        # Refused before the body is read: a sender of hundreds of megabytes fills neither memory nor disk.
        messages.error(request, _("提交的内容过大（照片不能超过5MB），请重新选择照片后提交。"))
        form = SubmitForm(community=community)
        return render(request, "resident_requests/public/new.html", {**context, "form": form}, status=413)
    address = client_bucket(request)
    if request.method == "POST":
        try:
            # Before the body is read: a sender over the limit costs no parsing and no image decoding.
            services.throttle_check("submit_address", address)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            form = SubmitForm(community=community)
            return render(request, "resident_requests/public/new.html", {**context, "form": form}, status=429)
    token = uploads.token_from(request.POST.get("upload_token"))
    held_photos = list(uploads.held(token, HeldUpload.Kind.PHOTO))
    held_voice = uploads.held(token, HeldUpload.Kind.VOICE).order_by("-created_at").first()
    context["upload_token"] = token
    form = SubmitForm(
        request.POST or None,
        request.FILES or None,
        community=community,
        held_photos=len(held_photos),
        held_voice=held_voice is not None,
    )
    if request.method == "POST":
        if form.is_valid() and not request.POST.get("confirm_new"):
            # Before a new request: the same community's open requests like it, to add "我也遇到了" to.
            context["similar"] = [
                _similar_card(item) for item in similar_open(community=community, text=form.cleaned_data["description"])
            ]
        if form.is_valid() and not context.get("similar"):
            photos = [held.file.open("rb") for held in held_photos] + form.cleaned_data["photo"]
            voice = form.cleaned_data["voice"] or uploads.held_voice(held_voice)
            try:
                resident_request = services.request_submit(
                    community=community,
                    data=form.cleaned_data,
                    photos=photos,
                    voice=voice,
                    address=address,
                    key=form.cleaned_data[idempotency.FIELD],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                uploads.release([*held_photos, *([held_voice] if held_voice else [])])
                idempotency.remember_saved(request, form.cleaned_data[idempotency.FIELD])  # the draft goes
                request.session[SUBMITTED_KEY] = resident_request.tracking_code
                request.session[TRACKED_KEY] = resident_request.pk
                return redirect("requests_public:submitted")
            finally:
                for held in held_photos:
                    held.file.close()
        for content in getattr(form, "cleaned_data", {}).get("photo") or []:  # sent with a form that came back: kept
            held_photos.append(uploads.hold(token=token, kind=HeldUpload.Kind.PHOTO, content=content))
        if recorded := getattr(form, "cleaned_data", {}).get("voice"):
            content, seconds, content_type = recorded
            held_voice = uploads.hold(
                token=token, kind=HeldUpload.Kind.VOICE, content=content, content_type=f"{content_type};{seconds}"
            )
    context.update(form=form, held_photos=len(held_photos), held_voice=held_voice is not None)
    return render(request, "resident_requests/public/new.html", context)


def _similar_card(item: ResidentRequest) -> dict:
    """What the form shows of a similar open request: its text only when its resident agreed to publication."""
    return {"pk": item.pk, "category": item.get_category_display(), "submitted_at": item.submitted_at,
            "status": item.get_status_display(), "supporters": item.supporter_count,
            "text": item.description[:80] if item.public_consent else ""}  # fmt: skip


@require_POST
def request_support(request):
    """我也遇到了: the resident adds himself to a similar open request of the community instead of a new one."""
    pk = int_param(request.POST, "request", default=None)
    resident_request = get_object_or_404(ResidentRequest.objects.open().select_related("community"), pk=pk)
    if not request.session.session_key:
        request.session.save()
    try:
        services.request_support(resident_request=resident_request, session_key=request.session.session_key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已记录：您也遇到了这个问题。同一问题会一并办理，无需重复反映。"))
    return redirect("directory:community", code=resident_request.community.code)


@never_cache
def request_submitted(request):
    """The tracking code, once the request is in."""
    return render(request, "resident_requests/public/submitted.html", {"code": request.session.get(SUBMITTED_KEY)})


# What the resident can expect next, by status: the status page says it under the deadlines.
NEXT_STEP = {
    "submitted": gettext_lazy("社区党员民警副书记将在响应期限前受理您的诉求。"),
    "handling": gettext_lazy("民警副书记正在办理，将在办结期限前答复您。"),
    "at_street": gettext_lazy("街道党工委正在协调办理，将在办结期限前答复您。"),
    "supervised": gettext_lazy("街道党工委正在督办，重新办理后将在办结期限前再次答复您。"),
    "resolved": gettext_lazy("诉求已办结。请在下方评价办理结果；如不满意，诉求将转街道党工委督办（限一次）。"),
    "closed": gettext_lazy("诉求已结案，感谢您的评价。"),
}
DEADLINE_STATES = {
    "met": gettext_lazy("按时完成"),
    "late": gettext_lazy("已完成，但超过期限"),
    "waiting": gettext_lazy("期限未到"),
    "overdue": gettext_lazy("已超过期限，正在催办"),
}


def _deadline(by, done_at, now) -> dict:
    """A deadline as the resident reads it: when, when it was met (or not yet), and whether in time."""
    if done_at is not None:
        state = "met" if done_at <= by else "late"
    else:
        state = "waiting" if now <= by else "overdue"
    return {"by": by, "at": done_at, "state": state, "label": DEADLINE_STATES[state]}


def _deadlines(resident_request: ResidentRequest, now) -> list[dict]:
    """The response and resolution deadlines of the request where it is now (a transfer or 督办 sets new ones)."""
    resolved_at = resident_request.resolved_at if resident_request.status in ResidentRequest.DONE else None
    field = ResidentRequest._meta.get_field
    return [
        {
            "name": field("respond_by").verbose_name,
            **_deadline(resident_request.respond_by, resident_request.responded_at, now),
        },
        {"name": field("resolve_by").verbose_name, **_deadline(resident_request.resolve_by, resolved_at, now)},
    ]


def _status_page(resident_request: ResidentRequest) -> dict:
    """The only facts the resident's status page shows: no name, no phone, no photo, no internal note."""
    stages = []
    for step in resident_request.steps.select_related("to_community__street", "from_community__street"):
        text = step.note if step.kind in RequestStep.PUBLIC_NOTES else ""
        label = step.get_kind_display()
        if step.kind == RequestStep.Kind.TRANSFERRED and step.to_community is not None:
            label = _("转至%(community)s办理") % {"community": step.to_community.name}
        elif step.kind == RequestStep.Kind.TO_STREET and step.from_community is not None:
            label = _("转%(street)s办理") % {"street": step.from_community.street.name}
        elif step.kind == RequestStep.Kind.NOTE:
            label = _("跟进办理")
        stages.append({"label": label, "at": step.at, "text": text})
    return {
        "number": resident_request.number,
        "category": resident_request.get_category_display(),
        "community": resident_request.community.name,
        "street": resident_request.community.street.name,
        "status": resident_request.get_status_display(),
        "status_code": resident_request.status,
        "submitted_at": resident_request.submitted_at,
        "description": resident_request.description,
        "photo_count": len(resident_request.photos),
        "reply": resident_request.reply,
        "rating": resident_request.get_rating_display(),
        "stages": stages,
        "deadlines": _deadlines(resident_request, timezone.now()),
        "next_step": NEXT_STEP.get(resident_request.status, ""),
    }


@never_cache
def request_track(request):
    """GET: the status of the request looked up in this session, or the form; POST: look a code up."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.request_find(form.cleaned_data["code"], address=client_bucket(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if found is None:
                form.add_error("code", _("查询码不正确，请核对后重新输入（注意区分数字和字母）。"))
            else:
                request.session[TRACKED_KEY] = found.pk
                return redirect("requests_public:track")
    tracked = None
    pk = request.session.get(TRACKED_KEY)
    if request.method == "GET" and pk:
        tracked = ResidentRequest.objects.select_related("community__street").filter(pk=pk).first()
    context = {"form": form, "status": _status_page(tracked) if tracked else None}
    if tracked is not None and tracked.status in ResidentRequest.STEP_STARTS["rate"]:
        context["rate_form"] = RateForm()
    return render(request, "resident_requests/public/track.html", context)


@never_cache
@require_POST
def request_rate(request):
    """评价: the resident rates the request looked up with its code in this session."""
    pk = request.session.get(TRACKED_KEY)
    resident_request = ResidentRequest.objects.filter(pk=pk).first() if pk else None
    if resident_request is None:
        messages.error(request, _("请先输入查询码查询诉求，再进行评价。"))
        return redirect("requests_public:track")
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            rated = services.request_rate(
                resident_request=resident_request,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if rated.status == ResidentRequest.Status.SUPERVISED:
                messages.success(request, _("感谢您的评价。您的诉求已转街道督办，将重新办理并答复。"))
            else:
                messages.success(request, _("感谢您的评价！"))
        return redirect("requests_public:track")
    context = {"form": TrackForm(), "status": _status_page(resident_request), "rate_form": form}
    return render(request, "resident_requests/public/track.html", context)

"""The notices' pages: each user's in-app notices (the bell), the delivery page of the city administrator and
the security administrator (failed and skipped notices with the reason, what the development channel kept;
phone numbers masked), and each staff member's choice of channels."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yushu_gov.access.rights import require
from yushu_gov.lists.pagination import paginate
from yushu_gov.notices.inbox import SESSION_KEY, inbox, notices_mark_read
from yushu_gov.notices.models import DevMessage, Notice, NoticeChoice


@login_required
def notice_list(request):
    page = paginate(request, inbox(request.user))
    return render(request, "notices/list.html", {"page": page, "notices": page.object_list})


@login_required
def notice_read(request):
    """POST: marks every notice read. A GET goes to the list, whose button posts here."""
    if request.method == "POST":
        notices_mark_read(user=request.user)
        request.session.pop(SESSION_KEY, None)
    return redirect("notices:list")


@login_required
def delivery(request):
    require(request.user, "notice.delivery")
    show = request.GET.get("show", "failed")
    if show == "dev":
        page = paginate(request, DevMessage.objects.all())
    else:
        show = "failed"
        failed = Notice.objects.filter(status__in=[Notice.Status.FAILED, Notice.Status.SKIPPED])
        page = paginate(request, failed.exclude(channel=Notice.Channel.INAPP).order_by("-created_at", "-pk"))
    counts = dict(Notice.objects.exclude(channel=Notice.Channel.INAPP).values_list("status").annotate(n=Count("pk")))
    summary = [(label, counts.get(value, 0)) for value, label in Notice.Status.choices]
    return render(request, "notices/delivery.html", {"page": page, "show": show, "summary": summary})


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = NoticeChoice
        fields = ["email", "wecom"]
        help_texts = {
            "email": gettext_lazy("发送到账户登记的电子邮箱。"),
            "wecom": gettext_lazy("发送到本街道或本单位的企业微信群。"),
        }


@login_required
def channels(request):
    choice = NoticeChoice.objects.filter(user=request.user).first() or NoticeChoice(user=request.user)
    form = ChoiceForm(request.POST if request.method == "POST" else None, instance=choice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("通知渠道已保存。"))
        return redirect("notices:channels")
    return render(request, "notices/channels.html", {"form": form, "title": NoticeChoice._meta.verbose_name})

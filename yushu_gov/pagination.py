from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int | None = None):
    """The requested page of a queryset (out-of-range and malformed page numbers give the nearest page)."""
    return Paginator(queryset, per_page or settings.PAGE_SIZE).get_page(request.GET.get("page"))

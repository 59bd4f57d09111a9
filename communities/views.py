from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from yushu_gov.access import require

from .models import Community, PoliceStation, Street


@login_required
def community_list(request):
    """The streets with their communities (名称待核实 badges) and the police stations, within the user's scope."""
    require(request.user, "community.view")
    communities = Community.objects.visible_to(request.user)
    streets = (
        Street.objects.filter(communities__in=communities)
        .distinct()
        .prefetch_related(Prefetch("communities", queryset=communities.order_by("sort_order", "name")))
    )
    stations = PoliceStation.objects.visible_to(request.user).prefetch_related("streets")
    return render(
        request,
        "communities/list.html",
        {"streets": streets, "stations": stations, "community_total": communities.count()},
    )

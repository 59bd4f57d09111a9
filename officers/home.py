from communities.models import Community

from .models import Appointment, Officer


def summary_context(request) -> dict:
    user = request.user
    return {
        "community_count": Community.objects.visible_to(user).count(),
        "serving_count": Appointment.objects.visible_to(user).serving().count(),
        "officer_count": Officer.objects.visible_to(user).count(),
    }

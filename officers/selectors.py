"""Reads of the seats that more than one page needs: who holds a community's seat, where an officer serves,
and the conflicts a nomination would meet at 在任 (warned at nomination, resolved by a rotation)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Appointment


@dataclass(frozen=True)
class SeatConflicts:
    community_holder: Appointment | None  # the officer serving in the community now
    officer_seat: Appointment | None  # the community the nominated officer serves in now

    @property
    def any(self) -> bool:
        return self.community_holder is not None or self.officer_seat is not None

    def messages(self) -> list[str]:
        found = []
        if self.community_holder is not None:
            found.append(
                _("%(community)s现任党员民警副书记为%(name)s（%(date)s起）。")
                % {
                    "community": self.community_holder.community.name,
                    "name": self.community_holder.officer.name,
                    "date": f"{self.community_holder.started_on:%Y-%m-%d}",
                }
            )
        if self.officer_seat is not None:
            found.append(
                _("%(name)s现兼任%(community)s党支部副书记（%(date)s起）。")
                % {
                    "name": self.officer_seat.officer.name,
                    "community": self.officer_seat.community.name,
                    "date": f"{self.officer_seat.started_on:%Y-%m-%d}",
                }
            )
        return found


def seat_conflicts(*, officer, community, exclude: Appointment | None = None) -> SeatConflicts:
    """The serving seats a new appointment of `officer` to `community` would collide with (one query)."""
    serving = (
        Appointment.objects.serving()
        .filter(Q(community=community) | Q(officer=officer))
        .select_related("officer", "community")
    )
    if exclude is not None:
        serving = serving.exclude(pk=exclude.pk)
    holder = seat = None
    for appointment in serving:
        if appointment.community_id == community.pk:
            holder = appointment
        if appointment.officer_id == officer.pk:
            seat = appointment
    return SeatConflicts(community_holder=holder, officer_seat=seat)

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yushu_gov.access.roles import Role
from yushu_gov.accounts import services as accounts
from yushu_gov.accounts.models import User


class Command(BaseCommand):
    help = (
        "Gives an account its role (and area, street or station), as the operator on the server. The only way to make "
        "an account a security administrator or an auditor: none of the three administrators can do it in the "
        "application. Audited, with the operator's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*Role.values, "none"])
        parser.add_argument("--street", help="the street's code (street staff)")
        parser.add_argument("--station", help="the police station's code (station leaders)")
        parser.add_argument(
            "--area", help="the area's code (administrators and bureau reviewers of a prefecture or county; none: all)"
        )
        parser.add_argument("--operator", default="", help="who runs this (for the audit log); default: the OS user")

    def handle(self, username, role, street=None, station=None, area=None, operator="", **options):
        import getpass

        # The street and station models, through the user's fields (the kernel imports no app).
        Street = User._meta.get_field("street").related_model
        PoliceStation = User._meta.get_field("station").related_model
        Area = User._meta.get_field("area").related_model
        try:
            account = User.objects.get(username=username)
            street_obj = Street.objects.get(code=street) if street else None
            station_obj = PoliceStation.objects.get(code=station) if station else None
            area_obj = Area.objects.get(code=area) if area else None
        except (User.DoesNotExist, Street.DoesNotExist, PoliceStation.DoesNotExist, Area.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        try:
            accounts.role_assign(
                account=account,
                role=None if role == "none" else Role(role),
                street=street_obj,
                station=station_obj,
                area=area_obj,
                operator=operator or f"{getpass.getuser()} (manage.py assign_role)",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{username}: {role}")

import getpass
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yushu_gov.accounts import services as accounts
from yushu_gov.accounts.models import User

_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


class Command(BaseCommand):
    help = (
        "Resets an account's password (a new one, printed once, to be changed at the next login) and/or its "
        "second factor, as the operator on the server: the only way for the city administrator's and the bureau "
        "reviewers' accounts, so that the security administrator cannot take one over alone. Audited, with the "
        "operator's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", action="store_true", help="set a new random password (printed once)")
        parser.add_argument("--two-factor", action="store_true", help="remove the authenticator and recovery codes")
        parser.add_argument("--operator", default="", help="who runs this (for the audit log); default: the OS user")

    def handle(self, username, password=False, two_factor=False, operator="", **options):
        if not (password or two_factor):
            raise CommandError("Say what to reset: --password, --two-factor, or both.")
        try:
            account = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        new_password = None
        if password:
            while True:
                new_password = "".join(secrets.choice(_ALPHABET) for _ in range(12)) + "#" + secrets.choice("23456789")
                try:
                    password_validation.validate_password(new_password, account)
                    break
                except ValidationError:
                    continue
        accounts.account_reset_by_operator(
            user=account,
            password=new_password,
            two_factor_reset=two_factor,
            operator=operator or f"{getpass.getuser()} (manage.py reset_account)",
        )
        if new_password:
            self.stdout.write(f"{username}: new password {new_password} (to be changed at the next login)")
        if two_factor:
            self.stdout.write(f"{username}: second factor removed; issue an enrolment link for the holder")

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from yushu_gov.audit import anchor as audit_anchor
from yushu_gov.audit import chain as audit_chain
from yushu_gov.audit.models import AuditEntry


def chain_entries():
    """The audit log in chain order, read 2,000 at a time, with only what a hash covers."""
    entries = AuditEntry.objects.order_by("id").only(
        "id", "at", "actor_id", "actor_name", "action", "content_type_id", "object_id", "object_repr",
        "changes", "ip_address", "prev_hash", "entry_hash",
    )  # fmt: skip
    return entries.iterator(chunk_size=2000)


class Command(BaseCommand):
    help = (
        "Walks the audit log's hash chain and reports the first broken link (an entry altered, deleted or "
        "inserted behind the application's back), and compares it with the latest signed anchor of "
        "AUDIT_ANCHOR_FILE (anchor_audit): a chain that no longer reaches it was cut at its end (TRUNCATE, the "
        "newest entries deleted). Exits 1 when the chain is broken or cut. Run it as the application's runtime "
        "database user: on PostgreSQL it also reports what that user may do to the log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor-file", default=None, help="the anchor file (default: AUDIT_ANCHOR_FILE)")

    def handle(self, *args, anchor_file=None, **options):
        path = anchor_file if anchor_file is not None else settings.AUDIT_ANCHOR_FILE
        try:
            anchor = audit_anchor.latest(path) if path else None
        except audit_anchor.BadAnchor as exc:
            self.stdout.write(f"Audit anchor INVALID: the last line of {path}: {exc}.")
            raise CommandError("audit anchor invalid", returncode=1) from exc
        report = audit_chain.verify(chain_entries(), anchor=(anchor.count, anchor.head) if anchor else None)
        self._privileges()
        if report.broken is None and report.reached is False:
            when = f"{timezone.localtime(anchor.at):%Y-%m-%d %H:%M:%S}"
            self.stdout.write(
                f"Audit chain TRUNCATED: the latest anchor ({when}: {anchor.count} entries, head "
                f"{anchor.head[:16]}…, entry #{anchor.head_id}) is not reached; the log now holds {report.checked} "
                f"entries (head {report.head[:16]}…). Entries were cut from its end (TRUNCATE, or the newest "
                "deleted) or the log was replaced."
            )
            raise CommandError("audit chain truncated", returncode=1)
        if report.broken is None:
            if anchor is None:
                tail = (
                    "no anchor to compare with (AUDIT_ANCHOR_FILE unset or empty): entries cut from the end "
                    "cannot be detected; run anchor_audit periodically."
                )
            else:
                tail = (
                    f"reaches the latest anchor ({timezone.localtime(anchor.at):%Y-%m-%d %H:%M:%S}: "
                    f"{anchor.count} entries)."
                )
            self.stdout.write(f"Audit chain intact: {report.checked} entries, head {report.head[:16]}…; {tail}")
            return
        entry = report.broken.entry
        when = f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}"
        what = f"entry #{entry.pk} ({when}, {entry.actor_name or '—'}, {entry.action})"
        if report.broken.reason == "altered":
            why = "its content no longer matches its hash: it was altered after it was written"
        else:
            why = (
                "it does not follow the entry before it: an entry before it was deleted, inserted or had its "
                "hash replaced"
            )
        self.stdout.write(f"Audit chain BROKEN at {what}: {why}. {report.checked} entries before it are intact.")
        raise CommandError("audit chain broken", returncode=1)

    def _privileges(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, pg_get_userbyid(c.relowner) = current_user, "
                "has_table_privilege('yushu_gov_auditentry', 'UPDATE'), "
                "has_table_privilege('yushu_gov_auditentry', 'DELETE'), "
                "has_table_privilege('yushu_gov_auditentry', 'TRUNCATE') "
                "FROM pg_class c WHERE c.relname = 'yushu_gov_auditentry'"
            )
            user, owner, update, delete, truncate = cursor.fetchone()
        rights = [name for name, held in (("UPDATE", update), ("DELETE", delete), ("TRUNCATE", truncate)) if held]
        if owner or rights:
            self.stdout.write(
                f"Warning: database user {user} {'owns the audit log and ' if owner else ''}may "
                f"{', '.join(rights) or 'alter'} it; run the application as the runtime role of "
                "docs/postgresql-roles.sql (INSERT and SELECT only)."
            )
        else:
            self.stdout.write(f"Database user {user} may only INSERT and SELECT on the audit log.")

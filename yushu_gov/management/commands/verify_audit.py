from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from yushu_gov.audit import chain as audit_chain
from yushu_gov.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Walks the audit log's hash chain and reports the first broken link (an entry altered, deleted or "
        "inserted behind the application's back). Exits 1 when the chain is broken. Run it as the application's "
        "runtime database user: on PostgreSQL it also reports what that user may do to the log."
    )

    def handle(self, *args, **options):
        entries = AuditEntry.objects.order_by("id").only(
            "id", "at", "actor_id", "actor_name", "action", "content_type_id", "object_id", "object_repr",
            "changes", "ip_address", "prev_hash", "entry_hash",
        )  # fmt: skip
        report = audit_chain.verify(entries.iterator(chunk_size=2000))
        self._privileges()
        if report.broken is None:
            self.stdout.write(
                f"Audit chain intact: {report.checked} entries, head {report.head[:16]}… "
                "(keep this line: a later run that does not reach this head shows entries cut from the end)."
            )
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

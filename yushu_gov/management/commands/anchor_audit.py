from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yushu_gov.audit import anchor as audit_anchor
from yushu_gov.audit import chain as audit_chain
from yushu_gov.management.commands.verify_audit import chain_entries


class Command(BaseCommand):
    help = (
        "Anchors the audit log's hash chain: walks it, and when it is whole and still reaches the previous "
        "anchor, appends a line signed with AUDIT_ANCHOR_KEY (head hash, entry count) to AUDIT_ANCHOR_FILE and "
        "prints it. Run it periodically (cron) as an OS user other than the database's, and ship the file or "
        "the line off the machine: verify_audit compares the chain with the latest anchor. Exits 1, writing "
        "nothing, when the chain is broken or cut short."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=None, help="the anchor file (default: AUDIT_ANCHOR_FILE)")

    def handle(self, *args, file=None, **options):
        path = file if file is not None else settings.AUDIT_ANCHOR_FILE
        try:
            previous = audit_anchor.latest(path) if path else None
        except audit_anchor.BadAnchor as exc:
            raise CommandError(f"the latest anchor in {path} is not valid: {exc}; nothing written") from exc
        report = audit_chain.verify(
            chain_entries(), anchor=(previous.count, previous.head) if previous is not None else None
        )
        if report.broken is not None:
            raise CommandError("the audit chain is broken (run verify_audit); nothing anchored")
        if report.reached is False:
            raise CommandError(
                f"the audit chain ({report.checked} entries) no longer reaches the previous anchor "
                f"({previous.count} entries): entries were cut from its end (run verify_audit); nothing anchored"
            )
        anchor = audit_anchor.Anchor(at=timezone.now(), count=report.checked, head=report.head, head_id=report.head_id)
        if path:
            audit_anchor.append(path, anchor)
        self.stdout.write(f"audit-anchor {anchor.line()}")

"""Reports read from a streaming replica; writes, and reads that must see them, stay on the primary.

When REPLICA_DATABASE_URL is set (yushu_gov/settings.py), the database alias `replica` names a PostgreSQL hot
standby that streams the primary's WAL. Nothing reads from it unless a view or a task asks, for the span of
its work, with `reads_from_replica()` (a context manager) or `@replica_reads` (a view decorator): the
dashboards, the briefings and their PDF, the background exports, and any figures page built later. Inside
that span `ReplicaRouter` sends the reads of the programme's data (the apps in REPORT_APPS: places, officers,
talks, ledger, residents' requests, assessments) to the replica. Everything else stays on the primary:

- every write (`db_for_write` never names the replica, and `allow_migrate` refuses it);
- the kernel's own tables, even inside the span: sessions, users and their groups, the audit log, export
  jobs, idempotency keys (app labels `sessions`, `auth`, `yushu_gov`, ...), so that logging in, the session's
  save and the audit entries written beside a report never touch the standby;
- the requests that must see the user's own write: for REPLICA_STICKY_SECONDS after any POST (or other
  unsafe method) `PrimaryAfterWriteMiddleware` sets a short cookie, and while the browser sends it
  `reads_from_replica(request)` reads from the primary. A replica a moment behind then never shows a clerk a
  dashboard without the record he has just saved;
- everything when the replica cannot be reached: the span logs a warning and reads from the primary.

Without REPLICA_DATABASE_URL every call here is a no-op and the application runs on one database, as before.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# The programme's data: what the reports read. The kernel's tables (sessions, users, audit, export jobs) are not
# among them.
REPORT_APPS = frozenset({"communities", "officers", "talks", "ledger", "resident_requests", "assessments"})
STICKY_COOKIE = "yushu_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections


def must_read_primary(request) -> bool:
    """The user wrote a moment ago (the cookie of PrimaryAfterWriteMiddleware): his next pages read the primary."""
    return request is not None and STICKY_COOKIE in request.COOKIES


def _replica_reachable() -> bool:
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        logger.warning("The read replica cannot be reached: reading from the primary.", exc_info=True)
        return False
    return True


@contextmanager
def reads_from_replica(request=None):
    """Within the block, the reads of the programme's data go to the replica when one is configured, reachable,
    and `request` (if given) did not just write. Yields whether they do."""
    use = replica_configured() and not must_read_primary(request) and _replica_reachable()
    token = _reading_from_replica.set(use)
    try:
        yield use
    finally:
        _reading_from_replica.reset(token)


def replica_reads(view):
    """A view decorator: the view's reads of the programme's data come from the replica (`reads_from_replica`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with reads_from_replica(request):
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: the replica for the reads of REPORT_APPS inside `reads_from_replica`, the
    primary for everything else."""

    def db_for_read(self, model, **hints):
        if _reading_from_replica.get():
            return REPLICA if model._meta.app_label in REPORT_APPS else DEFAULT_DB_ALIAS
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object read from one may point at an object of the other.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the standby follows the primary's schema; it is never migrated itself


class PrimaryAfterWriteMiddleware:
    """After a POST (or any unsafe method), the browser reads from the primary for REPLICA_STICKY_SECONDS: a
    short cookie, set only when a replica is configured (its value says nothing; forging it only costs the
    primary a read)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

"""Settings for 玉树市党员民警兼任社区党支部副书记管理系统.

One module, read with django-environ. With no environment at all it runs for development
(DEBUG on, SQLite, a development key). With DEBUG off it refuses to start unless SECRET_KEY and
ALLOWED_HOSTS are set. Every variable is listed in .env.example.
"""

from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from yushu_gov.security.crypto import DEVELOPMENT_AUDIT_CHAIN_KEY, DEVELOPMENT_PERSONAL_DATA_KEY, parse_master_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-key-only-for-local-use"
# The placeholder .env.example shows: a copied example file must not become production.
_EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string-of-at-least-50-characters"
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# Personal data (ID and mobile numbers, TOTP secrets) is encrypted with keys derived from the first of these
# (base64 of 32 random bytes); older keys follow it until `manage.py rotate_personal_data_key` has run.
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])
# The audit log's hash chain (HMAC-SM3) key; `manage.py verify_audit` needs the same key.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
# The audit chain's anchors (`manage.py anchor_audit`, run periodically; `verify_audit` compares the chain with
# the latest): the key that signs them (default: one derived from AUDIT_CHAIN_KEY) and the file they are
# appended to, which the operator ships off the machine (empty: printed only).
AUDIT_ANCHOR_KEY = env.str("AUDIT_ANCHOR_KEY", default="")
AUDIT_ANCHOR_FILE = env.str("AUDIT_ANCHOR_FILE", default="")
if not DEBUG:
    if not SECRET_KEY or SECRET_KEY in (_DEV_SECRET_KEY, _EXAMPLE_SECRET_KEY):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    if not PERSONAL_DATA_KEYS or DEVELOPMENT_PERSONAL_DATA_KEY in PERSONAL_DATA_KEYS:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS must be set when DEBUG is off (see .env.example).")
    if not AUDIT_CHAIN_KEY or AUDIT_CHAIN_KEY == DEVELOPMENT_AUDIT_CHAIN_KEY:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be set when DEBUG is off (see .env.example).")
else:
    SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
    PERSONAL_DATA_KEYS = PERSONAL_DATA_KEYS or [DEVELOPMENT_PERSONAL_DATA_KEY]
    AUDIT_CHAIN_KEY = AUDIT_CHAIN_KEY or DEVELOPMENT_AUDIT_CHAIN_KEY
for _key in [*PERSONAL_DATA_KEYS, AUDIT_CHAIN_KEY, *([AUDIT_ANCHOR_KEY] if AUDIT_ANCHOR_KEY else [])]:
    try:
        parse_master_key(_key)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"PERSONAL_DATA_KEYS and AUDIT_CHAIN_KEY must be base64 of at least 32 random bytes ({_exc})."
        ) from None

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address residents reach the public directory at (https://yushu.example.gov.cn): the contact cards' QR
# codes point there, not at whichever host served the page. Unset in development: the page's own host.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")
if PUBLIC_BASE_URL and not PUBLIC_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("PUBLIC_BASE_URL must start with https:// (or http://).")
# Behind a reverse proxy that appends the client's address to X-Forwarded-For: the audit log records it.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks): a connection from anywhere else
# is taken at its own address (yushu_gov/security/clients.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    # The project's apps, lowest layer first (tests/test_layers.py holds them to it).
    "yushu_gov",
    "communities",
    "officers",
    "officers.talks",
    "officers.ledger",
    "officers.resident_requests",
    "officers.open311",
    "assessments",
    "assessments.reports",
    "assessments.demo",
    # Background jobs (the exports) on a queue in this database. After the project's apps, so that
    # yushu_gov's `db_worker` (which first recovers exports a dead worker left running) is the one run.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: /healthz answers the load balancer before host checks, redirects and sessions.
    "yushu_gov.web.middleware.HealthCheckMiddleware",
    # Then every request is bounded: a long query string answers 414, a large body 413 (yushu_gov/security/limits.py).
    "yushu_gov.web.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "yushu_gov.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yushu_gov.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After a write the user's next pages read the primary, not the replica (yushu_gov/replicas/routing.py).
    "yushu_gov.replicas.routing.PrimaryAfterWriteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The session's absolute lifetime and one session per account, then the second factor and a forced
    # password change (yushu_gov/web/middleware.py); pages behind a login are never cached.
    "yushu_gov.web.middleware.SessionPolicyMiddleware",
    "yushu_gov.web.middleware.AccountGateMiddleware",
    "yushu_gov.web.middleware.NoStoreMiddleware",
    "yushu_gov.web.middleware.RefusalAuditMiddleware",
    "yushu_gov.home.todo.TodoCountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees a view's exception first: the database down answers a branded 503, a PDF past its
    # time budget a page that says so.
    "yushu_gov.web.middleware.ErrorPagesMiddleware",
]

ROOT_URLCONF = "yushu_gov.urls"
WSGI_APPLICATION = "yushu_gov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yushu_gov.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL (postgres://user:pass@host:5432/name) selects PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins and wait for each other (up to 20 s) instead of
    # failing with "database is locked"; the test database is a file too, so that the tests of two
    # clerks acting at once see the same locking as the development server.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A PostgreSQL streaming replica (hot standby) for the reports: the dashboards, the briefings and the exports read
# from it; writes and the reads that must see them stay on the primary (yushu_gov/replicas/routing.py). After a
# write the user's pages read the primary for REPLICA_STICKY_SECONDS, longer than the replica's usual lag.
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db("REPLICA_DATABASE_URL")
    DATABASES["replica"].update(CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"], CONN_HEALTH_CHECKS=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the tests read the test database through it
DATABASE_ROUTERS = ["yushu_gov.replicas.routing.ReplicaRouter"]
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "yushu_gov.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "yushu_gov.accounts.backends.AccountBackend",
]
# Passwords (等保 level 3): at least 10 characters of 3 of the 4 classes (upper and lower case letters,
# digits, symbols), none of the last 5, changed every PASSWORD_MAX_AGE_DAYS days (0: never), and changed at
# the first login after the security administrator set or reset it (yushu_gov/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "yushu_gov.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "yushu_gov.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yushu_gov.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "yushu_gov.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"remembered": 5}},
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures for one username lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# axes.W006 asks to lock by IP address too. We lock the account, as required: the street offices reach
# the system through a few shared NAT addresses, and an IP lock would lock a whole office out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# A 30-minute idle timeout: every request renews the session; and a 12-hour absolute lifetime from the login,
# whatever the activity. One active session per account: a new login ends the previous one.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SINGLE_SESSION_PER_ACCOUNT = env.bool("SINGLE_SESSION_PER_ACCOUNT", default=True)

# Second factor (TOTP, RFC 6238) for the system, security and audit administrators and the bureau reviewers:
# required whenever DEBUG is off; under `make run` only with REQUIRE_2FA=1 (yushu_gov/accounts/two_factor.py).
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
TWO_FACTOR_ISSUER = "玉树党员民警副书记"

LANGUAGE_CODE = "zh-hans"
# Each language named in its own script, as the switch shows it (not translated: a reader who cannot read the
# current language must still find their own). Tibetan covers the residents' pages (locale/bo, README).
LANGUAGES = [("zh-hans", "中文"), ("bo", "བོད་ཡིག"), ("en", "English")]
# Django ships no entry for Tibetan; get_language_info() and the language switch need one.
LANG_INFO.setdefault("bo", {"bidi": False, "code": "bo", "name": "Tibetan", "name_local": "བོད་ཡིག"})
# The residents' pages (no login): a first visit without the language cookie follows the browser's
# Accept-Language among LANGUAGES; the staff pages stay Chinese-first (yushu_gov/web/middleware.py).
PUBLIC_PATH_PREFIXES = ("/directory/", "/resident/")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Accept 2016年9月5日, 2016-09-05 and 2016/9/5 in every date field (see yushu_gov/formats).
FORMAT_MODULE_PATH = ["yushu_gov.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security headers. The Content-Security-Policy allows only 'self' (yushu_gov/web/middleware.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Citizen ID and mobile numbers never reach an error report (yushu_gov/security/masking.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "yushu_gov.security.masking.PersonalDataExceptionFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

# Background tasks: exports run in `manage.py db_worker` processes (any number, on any machine) that take
# them from a queue in the database. TASKS_BACKEND=immediate runs them inside the request (the tests).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.str("TASKS_BACKEND", default="database")],
        "QUEUES": ["default"],
    }
}
# An export's file is kept this many hours after it is written, then deleted (`manage.py expire_exports`,
# also run by every worker after each job); a running export whose worker has given no sign of life for
# this many seconds is taken as interrupted and run again once, or failed with a message.
# Seconds between the retries of a webhook push that failed (officers/open311/services.py); empty: the defaults
# (10 s, 30 s, 1, 2, 5, 10, 30 minutes, then every hour).
OPEN311_WEBHOOK_BACKOFF = env.list("OPEN311_WEBHOOK_BACKOFF", cast=float, default=[])
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)
EXPORT_STALE_SECONDS = env.int("EXPORT_STALE_SECONDS", default=300)

# Notices (yushu_gov/notices/): written in the transaction of the event that causes them, delivered by the same
# `db_worker` processes. Each external channel is "dev" (the message is kept in the database and shown on the
# delivery page: `make run`) or its real adapter. SMS: "aliyun" or "tencent", with the provider's keys, the
# signature (签名) and one template code per kind of notice (SMS_TEMPLATES, JSON {"request.submitted": "SMS_1",
# ...}); WeCom: "webhook" posts to the group robots of WECOM_WEBHOOKS (JSON {"bureau": url, "street:JG": url});
# e-mail: "smtp" sends through Django's EMAIL_* settings. The endpoints are settings so that tests can point them
# at a local server.
NOTICE_SMS_CHANNEL = env.str("NOTICE_SMS_CHANNEL", default="dev")
NOTICE_WECOM_CHANNEL = env.str("NOTICE_WECOM_CHANNEL", default="dev")
NOTICE_EMAIL_CHANNEL = env.str("NOTICE_EMAIL_CHANNEL", default="dev")
SMS_TEMPLATES = env.json("SMS_TEMPLATES", default={})
ALIYUN_SMS_ACCESS_KEY_ID = env.str("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env.str("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_SIGN_NAME = env.str("ALIYUN_SMS_SIGN_NAME", default="")
ALIYUN_SMS_ENDPOINT = env.str("ALIYUN_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
TENCENT_SMS_SECRET_ID = env.str("TENCENT_SMS_SECRET_ID", default="")
TENCENT_SMS_SECRET_KEY = env.str("TENCENT_SMS_SECRET_KEY", default="")
TENCENT_SMS_SDK_APP_ID = env.str("TENCENT_SMS_SDK_APP_ID", default="")
TENCENT_SMS_SIGN_NAME = env.str("TENCENT_SMS_SIGN_NAME", default="")
TENCENT_SMS_REGION = env.str("TENCENT_SMS_REGION", default="ap-guangzhou")
TENCENT_SMS_ENDPOINT = env.str("TENCENT_SMS_ENDPOINT", default="https://sms.tencentcloudapi.com/")
WECOM_WEBHOOKS = env.json("WECOM_WEBHOOKS", default={})
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
# Non-urgent SMS and WeCom notices wait out the quiet hours (Shanghai time, [start, end) hours); one recipient
# gets at most NOTICE_DAILY_CAP SMS, WeCom or e-mail notices a day; a failed send is tried again after
# NOTICE_RETRY_SECONDS, 4 times longer each time, NOTICE_MAX_ATTEMPTS times in all; a send whose worker gave no
# sign of life for NOTICE_STALE_SECONDS is taken as interrupted.
NOTICE_QUIET_HOURS = (env.int("NOTICE_QUIET_START", default=22), env.int("NOTICE_QUIET_END", default=7))
NOTICE_DAILY_CAP = env.int("NOTICE_DAILY_CAP", default=10)
NOTICE_RETRY_SECONDS = env.int("NOTICE_RETRY_SECONDS", default=60)
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=5)
NOTICE_STALE_SECONDS = env.int("NOTICE_STALE_SECONDS", default=300)

# Pages show this many rows.
PAGE_SIZE = 25

# Residents' requests (群众诉求): the resident's name, phone and photo are erased this many days after the
# request is closed (`manage.py erase_request_personal_data`, run daily); a form sent back sooner than this
# many seconds after it was shown is refused as a robot's.
RESIDENT_REQUEST_RETENTION_DAYS = env.int("RESIDENT_REQUEST_RETENTION_DAYS", default=180)
RESIDENT_REQUEST_MIN_FILL_SECONDS = env.int("RESIDENT_REQUEST_MIN_FILL_SECONDS", default=3)
# A PDF that takes longer than this to render is abandoned with a message (yushu_gov/documents/pdf.py).
PDF_TIME_BUDGET_SECONDS = env.float("PDF_TIME_BUDGET_SECONDS", default=10.0)

# PIPL retention (yushu_gov/audit/retention.py, `manage.py apply_retention`): an officer's ID and mobile numbers and
# photo are erased this many years after his last seat ended; login records are deleted after this many days.
OFFICER_DATA_RETENTION_YEARS = env.int("OFFICER_DATA_RETENTION_YEARS", default=3)
LOGIN_RECORD_RETENTION_DAYS = env.int("LOGIN_RECORD_RETENTION_DAYS", default=180)
# The to-do count in the navigation is recounted at most this often (and after each of the user's own changes).
TODO_COUNT_SECONDS = 60

"""Sidelog settings, read from the environment (see `.env.example`).

With nothing set, Sidelog runs for development only if `DEBUG=1`: SQLite, console email,
tasks run in-process. Production needs `SECRET_KEY`, `ALLOWED_HOSTS` and usually
`DATABASE_URL` and `REDIS_URL`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Lets admin and generic classes be subscripted for type checking (`TabularInline[Model]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envcount(name: str, default: int) -> int:
    """A whole number of 1 or more."""
    value = envint(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be 1 or more, not {value}")
    return value


def envlist(name: str, default: str = "") -> list[str]:
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

_secret_key = envstr("SECRET_KEY")
if not _secret_key:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    _secret_key = "development-only-secret-key-never-used-in-production"  # noqa: S105
SECRET_KEY: str = _secret_key

# Keys the audit log's hashes. Its own secret, so that rotating SECRET_KEY leaves the log
# verifiable; rotating this one makes older rows fail verification.
_audit_key = envstr("AUDIT_KEY")
if not _audit_key:
    if not DEBUG:
        raise ImproperlyConfigured("AUDIT_KEY must be set when DEBUG is off.")
    _audit_key = "development-only-audit-key"
AUDIT_KEY: str = _audit_key
# Checkpoints of the audit chain's end, kept where the database cannot rewrite them: a line
# to stdout (the "audit.checkpoint" logger) and a line appended to this file, every
# AUDIT_CHECKPOINT_EVERY rows and daily. `manage.py audit_verify` holds the log to them.
AUDIT_CHECKPOINT_PATH = Path(
    envstr("AUDIT_CHECKPOINT_PATH") or BASE_DIR / "var" / "audit" / "checkpoints.jsonl"
)
AUDIT_CHECKPOINT_EVERY = envint("AUDIT_CHECKPOINT_EVERY", 100)
if AUDIT_CHECKPOINT_EVERY < 1:
    raise ImproperlyConfigured(
        f"AUDIT_CHECKPOINT_EVERY must be 1 or more, not {AUDIT_CHECKPOINT_EVERY}"
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = (envstr("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    # Sidelog's apps, each importing only those above it (README: "Where things live").
    "reference",
    "accounts",
    "audit",
    "journal",
    "questionnaires",
    "reminders",
    "reports",
    "sharing",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    # First, so that their headers reach every answer, static files and redirects included.
    "accounts.middleware.SecurityHeadersMiddleware",
    "accounts.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells the person why they were logged out.
    "accounts.session_lifetime.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "sharing.middleware.AccessMiddleware",
    "reference.middleware.LibraryVersionMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sharing.context_processors.journal",
                "reminders.context_processors.notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL, and a statement run a few times on a connection
    # is prepared: PostgreSQL stops parsing and planning the same queries on every request.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL") or ""

CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Atomic per-account limit: axes' own count can be raced past by parallel attempts.
    "accounts.login_limits.AccountAttemptLimitBackend",
    "accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_ROOT = Path(envstr("MEDIA_ROOT") or BASE_DIR / "media")

EMAIL_BACKEND = envstr("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = envstr("EMAIL_HOST") or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL") or "Sidelog <noreply@sidelog.invalid>"
# Days a link that finishes a sign-up or confirms a new email works; a sign-up not finished
# by then is deleted (accounts.tasks), which frees its username.
ACCOUNT_ACTIVATION_DAYS = envint("ACCOUNT_ACTIVATION_DAYS", 3)
if ACCOUNT_ACTIVATION_DAYS < 1:
    raise ImproperlyConfigured("ACCOUNT_ACTIVATION_DAYS must be 1 or more.")

# Security: sessions end after 30 minutes of inactivity. Activity moves the end at most once
# a minute (accounts.session_lifetime), so a page view does not write the session every time.
SESSION_COOKIE_AGE = 30 * 60
SESSION_REFRESH_SECONDS = 60
# ... and 12 hours after login however active (accounts.session_lifetime.SessionLifetimeMiddleware).
SESSION_MAX_LIFETIME = 12 * 60 * 60
# API tokens (accounts.models.ApiToken) end the same way: 30 idle minutes, 12 hours after
# sign-in, their last use written at most once a minute. A person holds at most
# API_TOKENS_PER_PERSON at once; a new one ends the one used longest ago.
API_TOKEN_IDLE_SECONDS = SESSION_COOKIE_AGE
API_TOKEN_MAX_LIFETIME = SESSION_MAX_LIFETIME
API_TOKEN_REFRESH_SECONDS = SESSION_REFRESH_SECONDS
API_TOKENS_PER_PERSON = 20
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Forms send the token in a hidden field and Swagger UI gets it in its script; no JavaScript
# of ours reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by django-csp (accounts.middleware.ContentSecurityPolicyMiddleware). Scripts only from
# our own origin, never inline; the admin and Swagger UI's page each add the inline styles
# they need to style-src, and nothing else.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Sent by accounts.middleware.SecurityHeadersMiddleware.
SECURE_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # container health checks speak plain HTTP
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# How many reverse proxies stand in front of Sidelog, each appending the address it saw to
# X-Forwarded-For (docker-compose.yml runs one). The client's address, for lockouts, rate
# limits and audit rows, is the entry the outermost one wrote (accounts.client_ip); with 0
# it is the socket's and forwarding headers are ignored. Only behind a proxy is its
# X-Forwarded-Proto believed.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
if "BEHIND_TLS_PROXY" in os.environ:
    raise ImproperlyConfigured(
        "BEHIND_TLS_PROXY is no longer read: remove it and set TRUSTED_PROXY_COUNT, the number "
        "of proxies in front of Sidelog (1 behind docker-compose.yml's proxy, 0 without one)."
    )
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"  # reads TRUSTED_PROXY_COUNT
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.backends.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "accounts.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only, in every configuration: the interactive docs are Swagger UI at /api/docs/.
    # (DRF's browsable API needs generic views throughout; on ours it would answer 500.)
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"auth": "20/min"},
    # Throttles count clients as accounts.client_ip does (accounts.api.SignInThrottle).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sidelog API",
    "DESCRIPTION": (
        "Sidelog's reference library and journal. Sidelog records and summarises; it never "
        "gives dosing advice."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from the drf-spectacular-sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two fields are called "action": a red flag's and an audit row's.
    "ENUM_NAME_OVERRIDES": {
        "RedFlagActionEnum": "reference.models.RedFlag.Action",
        "AuditActionEnum": "audit.models.AuditAction",
        "CheckInStatusEnum": "journal.checkin.STATUSES",
        "ReminderStatusEnum": "reminders.models.ShownStatus",
        "MeasurementKindEnum": "reference.models.MeasurementKind",
        # Its name before readings had a `kind` too, kept for the API's clients.
        "KindEnum": "reminders.models.Reminder.Kind",
        # Its name before check-ins and reminders had a `status` too, kept for the API's clients.
        "StatusEnum": "reports.models.Report.Status",
    },
}

# Celery: with no broker configured, tasks run in-process so a laptop needs nothing else.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# With no broker, a report is built in a thread of the web process, so that the request
# returns at once and the report's page shows its progress (reports/background.py).
REPORT_BUILD_IN_THREAD = envbool("REPORT_BUILD_IN_THREAD", not REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_QUEUE") or "celery"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Survives Redis going away while a task is unacknowledged (config/celery.py says how).
CELERY_WORKER_CONSUMER = "config.celery:SidelogConsumer"
# A message a worker took but never acknowledged (it was killed) goes back to the queue
# after this long; REPORT_BUILDING_GRACE usually re-sends the report sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 900),
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
    # How long sending a task tries to reach the broker before it gives up: a report asked
    # for while Redis is down is answered at once and stays queued for beat to send again.
    "connect_retries_timeout": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "report-requeue-stale": {
        "task": "reports.tasks.report_requeue_stale_task",
        "schedule": envint("REPORT_REQUEUE_EVERY", 60),
    },
    # Beside the one every AUDIT_CHECKPOINT_EVERY rows, so that a quiet day has one too.
    "audit-checkpoint-daily": {
        "task": "audit.tasks.audit_checkpoint_task",
        "schedule": crontab(minute=15, hour=3),
    },
    # Due reminders, each sent at most once (reminders/services.py).
    "reminders-send-due": {
        "task": "reminders.tasks.reminders_send_due_task",
        "schedule": envint("REMINDERS_SEND_EVERY", 60),
    },
    "sign-ups-unfinished-delete": {
        "task": "accounts.tasks.sign_ups_unfinished_delete_task",
        "schedule": 60 * 60,
    },
}
# Seconds before a reminder a worker claimed but never started emailing (it died) is
# claimed again; one whose email was started is never sent again (reminders/services.py).
REMINDER_CLAIM_STALE = envint("REMINDER_CLAIM_STALE", 300)
# Seconds before a queued report, or one a worker stopped updating, is sent again.
REPORT_QUEUED_GRACE = envint("REPORT_QUEUED_GRACE", 120)
REPORT_BUILDING_GRACE = envint("REPORT_BUILDING_GRACE", CELERY_TASK_TIME_LIMIT + 60)
# Reports a patient asks for (their caregivers' requests included): at most so many in any
# hour and in any 24 hours, and a new one only while fewer than REPORT_BUILDS_AT_ONCE of
# theirs are queued or building. Building a year's report takes seconds of a worker's time.
REPORTS_PER_HOUR = envcount("REPORTS_PER_HOUR", 10)
REPORTS_PER_DAY = envcount("REPORTS_PER_DAY", 30)
REPORT_BUILDS_AT_ONCE = envcount("REPORT_BUILDS_AT_ONCE", 1)

# Sharing. Provider and caregiver invitations can be answered for INVITATION_DAYS after they
# are sent. A share link takes SHARE_CODE_ATTEMPTS_LIFETIME wrong access codes in its whole
# life (besides 10 per 10 minutes), then accepts none and the patient issues a new one.
INVITATION_DAYS = envint("INVITATION_DAYS", 14)
SHARE_CODE_ATTEMPTS_LIFETIME = envint("SHARE_CODE_ATTEMPTS_LIFETIME", 30)
if min(INVITATION_DAYS, SHARE_CODE_ATTEMPTS_LIFETIME) < 1:
    raise ImproperlyConfigured(
        "INVITATION_DAYS and SHARE_CODE_ATTEMPTS_LIFETIME must be 1 or more."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL") or "INFO"},
    "loggers": {
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Audit checkpoints go to stdout whatever LOG_LEVEL says, for the log collector.
        "audit.checkpoint": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}

"""Settings for the disclosure-plan tracker, read from the environment.

With nothing set it runs on one machine: SQLite under var/, and Celery on a filesystem
broker under var/ that needs no server. DEBUG is off unless DEBUG=1 (`make run` and the
tests set it). Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL and REDIS_URL
(Redis), SECRET_KEY and ALLOWED_HOSTS; HTTPS=1 behind TLS; S3_* for files on many machines.
README lists every variable. Importing this module creates no files or folders: whoever
writes under VAR_DIR creates what it needs (the Makefile, the Celery app's broker folders).
"""

import os
import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from disclosure.database import database
from disclosure.environ import envbool, envint, envlist
from disclosure.file_storage import file_storage

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime state of a one-machine install (SQLite file, broker queue, uploads) lives here.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Serving with DEBUG off needs a SECRET_KEY (disclosure/wsgi.py refuses to start without
# one); a command such as `import_plan --dry-run` must still run on a bare machine, so a
# missing key is a random one here, good for this process only.
SECRET_KEY_MISSING = not SECRET_KEY and not DEBUG
if not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-only-for-debug" if DEBUG else secrets.token_urlsafe(50)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's own widget templates, for the project's form renderer (disclosure/forms.py).
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "disclosure.apps.AxesConfig",  # django-axes, named in Chinese in the admin
    "departments",
    "tasks_ledger",
    "tasks_ledger.calendar",
    "tasks_ledger.plan",
    "tasks_ledger.ledger",
    "tasks_ledger.reviews",
    "tasks_ledger.reminders",
    "tasks_ledger.clocks",
    "tasks_ledger.publishing",
    "tasks_ledger.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one, so that every response gets the headers, even a lock-out page.
    "disclosure.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A domain error a view lets through becomes the "refused" page (disclosure/errors.py).
    "disclosure.errors.DomainErrorMiddleware",
    # Last, so that a locked-out sign-in is answered after the session is known.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "disclosure.urls"
FORM_RENDERER = "disclosure.forms.FormRenderer"
WSGI_APPLICATION = "disclosure.wsgi.application"

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
                "departments.access.access",
                "tasks_ledger.reminders.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": database(VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "departments.backends.MemberBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/ledger/"
LOGOUT_REDIRECT_URL = "login"

# How many reverse proxies of our own stand in front of the app (0: clients connect
# directly). Only then is X-Forwarded-For read, and only the address the outermost of
# them appended: anything further left was written by the client (disclosure/client_ip.py).
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 0)

# Ten failures in a row lock out that username from that address, together: locking the
# address alone would lock out everyone behind the bureau's NAT or proxy for one person's
# typos; locking the username alone would let anyone lock out anyone by name.
# Counted in the database (axes' handler), which every machine shares, not in REDIS_URL's
# cache: the administrator sees and lifts a lock-out in the admin.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "disclosure.client_ip.client_ip"
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# In development WhiteNoise serves straight from the app and static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files: local disk, or S3 when S3_BUCKET is set (disclosure/file_storage.py).
STORAGES = {
    "default": file_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"

EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Imported files (plan documents; see disclosure/uploads.py): refused over this size before
# being read, and zip containers refused when their parts would inflate past the total or
# compress at a higher ratio than this (a zip bomb).
IMPORT_MAX_BYTES = envint("IMPORT_MAX_MB", 20) * 1024 * 1024
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_MB", 200) * 1024 * 1024
IMPORT_MAX_ZIP_RATIO = envint("IMPORT_MAX_ZIP_RATIO", 100)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "disclosure-tracker@localhost")
# Where django.core.mail.backends.filebased.EmailBackend writes, when chosen.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# A mail server that stops answering must not hold a worker (or a delivery's claim) forever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
# Reminder emails link back to the site: its address as the recipients reach it. By default
# the address `make run` serves (PORT, 8000 unless set).
PORT = envint("PORT", 8000)
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}")
# A delivery a worker claimed but did not mark emailed (the worker was killed mid-send) is
# sent again by the sweep after this many seconds; longer than any send (EMAIL_TIMEOUT).
REMINDER_EMAIL_CLAIM_SECONDS = envint("REMINDER_EMAIL_CLAIM_SECONDS", 300)
# The daily reminder run (beat, DatabaseScheduler): the time it is created with; the
# administrator may change the crontab in the admin afterwards.
REMINDERS_DAILY_AT = os.environ.get("REMINDERS_DAILY_AT", "08:30")

# Celery: Redis in production; with nothing set, a filesystem broker under var/ so that the
# web server, a worker and beat can talk on one machine with no server installed.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # disclosure/celery.py creates these folders when the app starts.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery-queue"),
        "data_folder_out": str(VAR_DIR / "celery-queue"),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message taken by a worker that then died (kill -9, a lost machine) goes back to
        # the queue after this long. Longer than the longest retry countdown of a task
        # (tasks_ledger/reminders/sending_tasks.py), or Redis would hand it out twice; the outbox
        # sweep sends what a lost message left unsent well before that.
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
        # A broker that accepts and never answers fails a publish in seconds instead of
        # hanging the request that queues an email.
        "socket_connect_timeout": 3,
        "socket_timeout": 5,
        "retry_on_timeout": True,
        "health_check_interval": 25,
    }
CELERY_TIMEZONE = TIME_ZONE
# A queue name of its own lets one Redis serve several installs (or test runs) apart.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A worker started before the broker, or losing it later, keeps trying to reconnect for ever
# instead of exiting (kombu >= 5.7 also survives the loss in the middle of restoring
# unacknowledged messages, which used to end in "Unrecoverable error").
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Publishing (from a web request's on_commit) gives up after about a second: the outbox
# sweep sends what could not be queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 0.5,
}

# REDIS_URL (older name: CACHE_URL), what every web process shares: the cache (the throttle
# counters) and the sessions; a Redis database of its own, as clearing the cache empties it.
# Unset: each process's memory (one process: `make run`), and sessions in the database.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with a Redis client kept per pool (disclosure/cache.py says why).
            "BACKEND": "disclosure.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "disclosure"),
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
    # Read from Redis, written through to the database: a Redis restarted empty signs nobody
    # out. (Cached in each process's memory, a session signed out in one would live on.)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Password reset requests (disclosure/ratelimit.py): per address and per account.
PASSWORD_RESET_RATE_PER_ADDRESS = os.environ.get("PASSWORD_RESET_RATE_PER_ADDRESS", "20/hour")
PASSWORD_RESET_RATE_PER_ACCOUNT = os.environ.get("PASSWORD_RESET_RATE_PER_ACCOUNT", "5/hour")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "tasks_ledger.api.authentication.MemberTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # The API's one error shape (tasks_ledger/api/exceptions.py).
    "EXCEPTION_HANDLER": "tasks_ledger.api.exceptions.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Only the token endpoint is throttled (it takes passwords); the sign-in lockout of
    # django-axes applies there as well. Counters live in the cache (REDIS_URL).
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_TOKEN_RATE", "20/minute")},
    # Without this DRF keys throttles on whatever X-Forwarded-For a client sends.
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Disclosure-plan tracker API",
    "DESCRIPTION": "Plans, tasks, ledgers and reviews of a government-affairs openness plan.",
    "VERSION": "1",
    # Separate request and response components, so read-only fields are not asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tasks_ledger.api.schema.add_error_responses",
    ],
    # Swagger UI from local static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Three choice sets share the field name `status`: give each enum its own name.
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "tasks_ledger.plan.models.Plan.Status",
        "LedgerEntryStatusEnum": "tasks_ledger.ledger.models.LedgerEntry.Status",
        "TaskStatusEnum": "tasks_ledger.api.plan.TASK_STATUS_CHOICES",
        "ObligationStateEnum": "tasks_ledger.clocks.models.Obligation.State",
        "ClockEventKindEnum": "tasks_ledger.clocks.models.Event.Kind",
    },
}

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "disclosure-demo")

# HTTPS is one switch: an intranet served over plain HTTP must still sign people in, so
# nothing about it follows from DEBUG. HTTPS=1: cookies only over TLS, HTTP redirected,
# HSTS sent (HSTS_SECONDS).
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 31536000) if HTTPS else 0
# Health checks (compose, load balancers) call the app over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if TRUSTED_PROXIES:
    # Only our own proxy may say the client used HTTPS; a client reaching the app
    # directly could otherwise claim it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (disclosure/middleware.py): scripts only from our own static
# files. Inline styles stay allowed: several pages carry a <style> block or a computed
# width (the dashboard's bars), and style cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

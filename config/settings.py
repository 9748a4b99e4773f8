"""Kontor's settings: everything that differs between installations comes from the environment.

The defaults suit development on one machine (SQLite, e-mails printed to the console). A
production installation sets at least DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and SITE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Without SITE_URL, links in e-mails point at this machine on the port `make run`/`make serve`
# listen on (`make run PORT=8101`).
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('KONTOR_PORT') or '8000'}"
).rstrip("/")
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)
INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "7"))
INVITATIONS_PER_ORGANIZATION_PER_DAY = int(os.environ.get("INVITATIONS_PER_DAY", "50"))
SIGNUP_LINK_MAX_AGE_DAYS = int(os.environ.get("SIGNUP_LINK_MAX_AGE_DAYS", "2"))
# E-mails anyone may ask for without logging in (password reset, sign-up), per address and per
# client address within the window; beyond, the same answer without an e-mail.
MAIL_LIMIT_PER_ADDRESS = int(os.environ.get("MAIL_LIMIT_PER_ADDRESS", "3"))
MAIL_LIMIT_PER_CLIENT = int(os.environ.get("MAIL_LIMIT_PER_CLIENT", "10"))
MAIL_LIMIT_WINDOW_SECONDS = int(os.environ.get("MAIL_LIMIT_WINDOW_SECONDS", "3600"))
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_IP_LIMIT = int(os.environ.get("LOGIN_FAILURE_IP_LIMIT", "20"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# Days a deleted contact or product stays in the trash, restorable, before
# `manage.py purge_trash` deletes it for good.
TRASH_DAYS = int(os.environ.get("TRASH_DAYS", "30"))
if TRASH_DAYS < 1:
    raise ImproperlyConfigured("TRASH_DAYS must be at least 1.")
# How many reverse proxies in front of Kontor append to X-Forwarded-For (0: none, trust nothing).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "import_export",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "outbox",
    "history",
    "contacts_app",
    "products",
    "trash",
    "importer",
    "api",
    "carddav",
]

MIDDLEWARE = [
    # /healthz before anything else: no session, host check or HTTPS redirect for the probe.
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above everything that could read the body (none of the middleware above does).
    "core.request_limits.RequestBodyLimitMiddleware",
    "core.errors.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.tenancy.CurrentOrganizationMiddleware",
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
                "accounts.context_processors.organization",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time on SQLite: wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# The database table `kontor_cache` (manage.py createcachetable). Its entries are never culled
# below a million (Django culls a third of them past MAX_ENTRIES, 300 by default, which would
# let a flood of failed logins wipe the counters of the account under attack).
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "kontor_cache",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
if REDIS_URL:
    # A Redis that is down or silent costs a request at most a fraction of a second; pages
    # then work without it for a while (core.cache).
    CACHE_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.25"))
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailFastRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kontor",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
            },
        }
    }
    # In the database, with Redis in front: a session outlives Redis going away.
    SESSION_ENGINE = "core.sessions"
else:
    # A database table, so that what is cached holds across several server processes.
    CACHES = {"default": DATABASE_CACHE}
# Failed logins are always counted in the database table, with or without Redis: not counting
# them while Redis is away would lift the limit, and refusing every login would lock everyone
# out (accounts.login_throttle).
CACHES["login_limits"] = {**DATABASE_CACHE, "KEY_PREFIX": "login-limits"}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "contacts:list"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

LANGUAGE_CODE = "en"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day before month with a 24-hour clock (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
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
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kontor <kontor@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
# E-mail leaves the request: it is rendered there, recorded in outbox.Delivery and sent by the
# worker (`manage.py db_worker`) from this database-backed queue (django-tasks' database
# backend), so a slow or absent mail server never holds up a page.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Seconds an SMTP connection may wait for the server before the attempt counts as failed.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Minutes to wait before each further attempt; when they are used up the e-mail has failed.
OUTBOX_RETRY_MINUTES = [int(m) for m in env_list("EMAIL_RETRY_MINUTES", "1,5,25,125")]

# Request bodies: at most 1 MiB, refused with 413 before they are read (core.request_limits),
# except on the URLs named here, which bound their bodies themselves.
REQUEST_BODY_MAX_BYTES = 1024 * 1024
REQUEST_BODY_LIMIT_EXEMPT_URLS = {
    "importer:upload",  # files up to IMPORT_MAX_BYTES, refused while they stream in
}
# CardDAV: a card a device sends (PUT) has at most this many bytes (a photo included); a
# larger one is refused with 413 before it is read.
CARDDAV_CARD_MAX_BYTES = int(os.environ.get("CARDDAV_CARD_MAX_BYTES", str(256 * 1024)))
# Uploads: the importer takes files up to 2 MiB; anything above is refused while it streams in.
IMPORT_MAX_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The API (`api/`, Django REST framework): only its own views' key authentication lets a request
# in (nothing by default, never the session); errors in one JSON shape; JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.handle_exception",
    "UNAUTHENTICATED_USER": None,
}
# The OpenAPI schema (/api/v1/openapi.json) and its documentation page (/api/v1/docs), whose
# Swagger UI comes from the drf-spectacular-sidecar package, served as static files.
SPECTACULAR_SETTINGS = {
    "TITLE": "Kontor API",
    "DESCRIPTION": (
        "Contacts and articles in lexoffice's shape. Authenticate with an API key from "
        "Settings → API keys: `Authorization: Bearer <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Requests an API key may send per second; beyond, 429 with Retry-After.
API_RATE_LIMIT_PER_SECOND = int(os.environ.get("API_RATE_LIMIT_PER_SECOND", "10"))
# Webhooks: how long connecting and each read may take, the minutes between attempts, and
# whether deliveries may go to loopback, private and link-local addresses (off: against SSRF).
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_RETRY_MINUTES = [int(m) for m in env_list("WEBHOOK_RETRY_MINUTES", "1,5,25,125")]
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("HTTPS", not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 or 404 is one line in the log, not a traceback.
    "filters": {"one_line_client_errors": {"()": "core.log_filters.OneLineClientErrors"}},
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default logging prints each of its lines a second time through the root.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["one_line_client_errors"]},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}

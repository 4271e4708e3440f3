"""Django settings for Jiedao, read from the environment (see docs/operations.md)."""

import importlib.util
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from jiedao.conf import env_or_local, local_setting

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("JIEDAO_DATA_DIR") or BASE_DIR / "data")  # an empty value is no value (not ".")


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG")
SECRET_KEY = env_or_local("SECRET_KEY", DATA_DIR)
# Personal-data encryption (core.crypto): comma-separated Fernet keys, newest first; older keys stay
# listed until `jiedao rotate-field-keys` has re-encrypted every row with the newest one.
FIELD_KEYS = [k.strip() for k in env_or_local("JIEDAO_FIELD_KEYS", DATA_DIR).split(",") if k.strip()]
# HMAC key of the blind indexes (exact search on encrypted fields); changing it needs a re-index.
INDEX_KEY = env_or_local("JIEDAO_INDEX_KEY", DATA_DIR)

PORT = int(os.environ.get("PORT", "8000"))
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "jiedao.core.admin_site.JiedaoAdminConfig",  # django.contrib.admin, named in Chinese (系统管理)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "jiedao.core.admin_site.TasksDatabaseConfig",  # django_tasks_db, named 后台任务 in the admin
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "csp",
    # django-axes (label "axes", named 登录锁定 in the admin), before jiedao.core: its sign-in receivers run
    # first, so the audit record knows of a lockout.
    "jiedao.core.lockout_app.LockoutConfig",
    "jiedao.core",
    "jiedao.geo",
    "jiedao.registry",
    "jiedao.cases",
    "jiedao.visits",
    "jiedao.consult",
    "jiedao.sensing",
    "jiedao.inspections",
    "jiedao.facilities",
    "jiedao.elevators",
    "jiedao.planning",
    "jiedao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiedao.core.middleware.session_idle_timeout",  # inside SessionMiddleware: marks the session to be saved
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jiedao.core.middleware.request_context",
    "axes.middleware.AxesMiddleware",  # turns a sign-in lockout into core.throttle.lockout_response
]

ROOT_URLCONF = "jiedao.urls"
WSGI_APPLICATION = "jiedao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiedao.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'jiedao.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection the server dropped (a restart) is replaced before the next request uses it;
        # bench/pg_connection_loss.py: 16 → 5 failed requests over four cuts (docs/operations.md).
        conn_health_checks=True,
    )
}
if os.environ.get("JIEDAO_TEST_DB_NAME"):  # lets two test runs share one PostgreSQL server
    DATABASES["default"]["TEST"] = {"NAME": os.environ["JIEDAO_TEST_DB_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the server's readers go on while a worker writes; IMMEDIATE avoids the
        # "database is locked" upgrade deadlock between two writers. synchronous=FULL syncs the log at every
        # commit, so a case answered 201 survives a power cut (docs/operations.md, bench/sqlite_durability.py).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif os.environ.get("JIEDAO_PG_PREPARE", "1") != "0":
    # PostgreSQL: server-side parameter binding, and psycopg prepares a query the fifth time a connection
    # runs it, so the server plans each of the platform's repeated queries (intake's above all) once per
    # connection rather than on every call; bench/cases_intake.py shows the saving (docs/operations.md).
    # JIEDAO_PG_PREPARE=0 turns it off, e.g. behind a transaction-pooling PgBouncer that does not track
    # prepared statements.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Password guessing (core.throttle, django-axes): an account, or an address, that fails to sign in
# JIEDAO_LOGIN_FAILURE_LIMIT times within JIEDAO_LOGIN_LOCKOUT_MINUTES is locked for that long, the right
# password included; failed API tokens and Open311 keys count against their address. An administrator
# lifts a lock in the admin or with `jiedao axes_reset_username NAME` (docs/operations.md).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("JIEDAO_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("JIEDAO_LOGIN_LOCKOUT_MINUTES", "60")))
AXES_LOCKOUT_PARAMETERS = "jiedao.core.throttle.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "jiedao.core.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "jiedao.core.middleware.client_ip"  # the same address as the audit log's
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log already
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "api_key"]  # masked in axes' log lines
# Behind a reverse proxy that sets X-Forwarded-For (docs/operations.md): the client's address is its last hop.
TRUST_PROXY = _flag("JIEDAO_TRUST_PROXY")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "jiedao" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Leaflet's JS/CSS come from the django-leaflet package (its static folder only: the app itself needs GDAL).
STATICFILES_DIRS = [Path(importlib.util.find_spec("leaflet").origin).parent / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not _flag("JIEDAO_TESTING")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A queued task older than this with no worker picking it up makes /healthz report "degraded".
TASK_QUEUE_STALE_SECONDS = int(os.environ.get("JIEDAO_TASK_STALE_SECONDS", "300"))

# A registry export of more rows than this runs as a background task with progress and a download link.
REGISTRY_EXPORT_INLINE_ROWS = int(os.environ.get("JIEDAO_REGISTRY_EXPORT_INLINE_ROWS", "5000"))

# Map: layers draw on a plain background unless a tile server (for example the intranet's) is given.
# The URL is a Leaflet template such as https://tiles.example.gov.cn/{z}/{x}/{y}.png; GCJ-02 tile sets
# (most Chinese providers) also set JIEDAO_MAP_TILE_CRS=gcj02 so that our WGS84 layers are shifted to fit.
MAP_TILE_URL = os.environ.get("JIEDAO_MAP_TILE_URL", "")
MAP_TILE_CRS = os.environ.get("JIEDAO_MAP_TILE_CRS", "wgs84")

# The subdistrict served when a request names none (Open311 without jurisdiction_id, `jiedao open311-key`):
# its 9-digit code, from the environment, else as `jiedao demo` recorded it in DATA_DIR/settings.json.
DEFAULT_SUBDISTRICT = (os.environ.get("JIEDAO_DEFAULT_SUBDISTRICT", "").strip()
                       or local_setting("JIEDAO_DEFAULT_SUBDISTRICT", DATA_DIR))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "jiedao.core.views.csrf_failure"  # the one 403 page, not Django's bare one
# A session ends after JIEDAO_SESSION_IDLE_HOURS without a request (not Django's 14 days): every request
# moves the end forward, written at most every few minutes (core.middleware.session_idle_timeout).
SESSION_COOKIE_AGE = int(float(os.environ.get("JIEDAO_SESSION_IDLE_HOURS", "8")) * 3600)

# HTTPS (docs/operations.md, "Production"): JIEDAO_HTTPS=1 where the platform is reached over HTTPS only, as
# it must be in production; JIEDAO_TRUST_PROXY=1 when a reverse proxy terminates TLS and sets
# X-Forwarded-Proto and X-Forwarded-For (it must overwrite what clients send).
HTTPS = _flag("JIEDAO_HTTPS")
if TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's health check may come over plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("JIEDAO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("JIEDAO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("JIEDAO_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): the pages load scripts, styles, fonts and data from this site only,
# with no inline script or style (an inline block needs nonce="{{ request.csp_nonce }}"). Images may also be
# data: URLs (Leaflet's and the charts'), and map tiles come from JIEDAO_MAP_TILE_URL's host when one is set.
_tile_origin = re.match(r"^(https?://[^/{}]+)", MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *([_tile_origin.group(1)] if _tile_origin else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): the patrol form may ask for the position (移动巡查); no page
# uses the camera (photos come through the file picker), microphone, payment or other device features.
PERMISSIONS_POLICY = {
    "geolocation": ["self"],
    **{feature: [] for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media",
        "fullscreen", "gyroscope", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Refusals (403, and 404 for rows outside the scope) are audited; the log keeps one line, no traceback.
    "filters": {"refusals": {"()": "jiedao.core.logs.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django.request": {"filters": ["refusals"]},
                "axes": {"level": "WARNING"}},  # its INFO lines repeat each sign-in the audit log has
}

if _flag("JIEDAO_TESTING"):
    # Tests create many users; the production hasher's deliberate slowness would dominate the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    WHITENOISE_USE_FINDERS = True

# 一网统管: the largest photo a case accepts (bytes).
CASES_MAX_PHOTO_BYTES = int(os.environ.get("JIEDAO_MAX_PHOTO_BYTES", 10_000_000))

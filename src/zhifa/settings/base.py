"""Settings shared by every environment. All installation-specific values come from
environment variables prefixed ``ZHIFA_`` (and the conventional ``DATABASE_URL``)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_noop as _

from zhifa.rules.engine.limits import MAX_BYTES as CASE_FILE_MAX_BYTES

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# ./var/ holds the SQLite database, the development secret, uploaded files and
# collected static files. It is relative to the working directory unless configured.
VAR_DIR = Path(os.environ.get("ZHIFA_VAR_DIR", Path.cwd() / "var")).resolve()


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def local_secret_key(name: str = "secret_key") -> str:
    """The secret of a local (development or demo) installation: generated at run time
    into ``VAR_DIR/<name>`` on first use and kept there (./var/ is not committed):
    ``secret_key`` (Django's ``SECRET_KEY``), ``digest_key`` (``ZHIFA_DIGEST_KEY``).

    The file is only ever readable by its owner: a new key is written to a temporary
    file created with mode 0600 and moved into place atomically (a reader sees the whole
    key or none), an empty or blank file is replaced by a new key, and a file others may
    read is tightened to 0600."""
    directory = VAR_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    key = _read_secret(path)
    if key:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        return key
    temporary = directory / f".{name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            # A first start: link, so that two processes starting together agree on
            # the key that the first of them wrote.
            os.link(temporary, path)
        except FileExistsError:
            if not _read_secret(path):  # still blank: replace it
                os.replace(temporary, path)
        except OSError:  # no hard links on this file system
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


DEBUG = False
ALLOWED_HOSTS = env_list("ZHIFA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("ZHIFA_CSRF_TRUSTED_ORIGINS")
# The site's own page (Chinese by default) instead of Django's technical one.
CSRF_FAILURE_VIEW = "zhifa.core.views.csrf_failure"

# Zhifa's apps come first: their templates and message catalogues take precedence
# over Django's own (e.g. our wording of "Log out").
INSTALLED_APPS = [
    "zhifa.core",
    "zhifa.registry",
    "zhifa.catalogue",
    "zhifa.accounts",
    "zhifa.records",
    "zhifa.documents",
    "zhifa.rules",
    "zhifa.cases",
    "zhifa.review",
    "zhifa.transparency",
    "zhifa.statistics",
    "zhifa.portal",
    "zhifa.disclosure",
    "zhifa.complaints",
    "zhifa.supervision",
    "zhifa.accountability",
    "zhifa.evaluation",
    "zhifa.dashboard",
    "zhifa.party",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # serves the Swagger UI assets locally (no CDN)
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhifa.core.middleware.ContentSecurityPolicyMiddleware",
    "zhifa.core.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhifa.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must be last: it turns django-axes lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhifa.urls"
WSGI_APPLICATION = "zhifa.wsgi.application"

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
                "zhifa.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under ./var/ by default, anything dj-database-url understands
# (PostgreSQL in production) through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "zhifa.sqlite3",
            "OPTIONS": {
                # WAL lets readers proceed while one writer commits; IMMEDIATE takes the
                # write lock at BEGIN so concurrent writers queue instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
#: What the infrastructure apps (core, records) know of the domain, named here like
#: AUTH_USER_MODEL so that they import no domain app (docs/adr/0010-app-layers.md): the
#: organ (an enforcement subject: ``region`` with a ``path``), the region (a
#: materialised ``path``; its queryset has ``subtree()``) and who answers an API token.
ZHIFA_ORGAN_MODEL = "registry.EnforcementSubject"
ZHIFA_REGION_MODEL = "registry.Region"
ZHIFA_API_TOKEN_AUTHENTICATOR = "zhifa.accounts.services.authenticate_api_token"
#: The apps' API routers, mounted on /api/v1/ in this order (core.api.register_routers).
ZHIFA_API_ROUTERS = [
    "zhifa.accounts.api.router",
    "zhifa.registry.api.router",
    "zhifa.rules.api.router",
    "zhifa.records.api.router",
    "zhifa.catalogue.api.router",
    "zhifa.cases.api.router",
    "zhifa.review.api.router",
    "zhifa.statistics.api.router",
    "zhifa.disclosure.api.router",
    "zhifa.complaints.api.router",
    "zhifa.supervision.api.router",
    "zhifa.supervision.warnings_api.router",
    "zhifa.supervision.notice_api.router",
    "zhifa.supervision.bulk_api.router",
    "zhifa.supervision.filing_api.router",
    "zhifa.supervision.remedies_api.router",
    "zhifa.party.api.router",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "zhifa.accounts.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Names, places and the product's name in pinyin (zhangwei123, Jiaxing2026).
    {"NAME": "zhifa.core.passwords.PinyinCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("ZHIFA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("ZHIFA_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("ZHIFA_PROXY_COUNT", "0")) or None

SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
# Each app keeps its own catalogue in <app>/locale/ (no project-wide LOCALE_PATHS).
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# Evidence files (records app): under MEDIA_ROOT/evidence/ by default; S3-compatible
# object storage when ZHIFA_EVIDENCE_S3_BUCKET is set (needs the `s3` extra: boto3).
# Credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
if os.environ.get("ZHIFA_EVIDENCE_S3_BUCKET"):
    EVIDENCE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ZHIFA_EVIDENCE_S3_BUCKET"],
            "endpoint_url": os.environ.get("ZHIFA_EVIDENCE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ZHIFA_EVIDENCE_S3_REGION") or None,
            "location": os.environ.get("ZHIFA_EVIDENCE_S3_PREFIX", ""),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    EVIDENCE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOG_LEVEL = os.environ.get("ZHIFA_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "zhifa.core.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Whole-process record: the Ed25519 key that signs checkpoints (PEM text, or a PEM
# file; a development key is generated into the file when neither exists), further
# trusted public keys (hex, comma-separated) after a rotation, and evidence size
# limits in MiB per kind.
RECORDS_SIGNING_KEY = os.environ.get("ZHIFA_RECORDS_SIGNING_KEY", "")
RECORDS_SIGNING_KEY_FILE = Path(
    os.environ.get("ZHIFA_RECORDS_SIGNING_KEY_FILE", VAR_DIR / "records-signing-key.pem")
)
RECORDS_TRUSTED_PUBLIC_KEYS = env_list("ZHIFA_RECORDS_TRUSTED_PUBLIC_KEYS")
RECORDS_EVIDENCE_MAX_BYTES = {
    kind: int(os.environ.get(f"ZHIFA_EVIDENCE_MAX_MB_{kind.upper()}", default)) * 1024 * 1024
    for kind, default in (("photo", 30), ("document", 100), ("audio", 500), ("video", 4096))
}

# Keyed digests (core.services.keyed_digest: party access codes, the complaint filer's
# digest in the record) have their own key, never SECRET_KEY, so that rotating SECRET_KEY
# leaves them verifiable. Each digest that must be verified later is stored with its key's
# ID; after a rotation, keep the previous keys (comma-separated) in ZHIFA_DIGEST_OLD_KEYS.
# Production takes the key from the environment (system check core.E001 without it);
# development and the demo generate one into VAR_DIR/digest_key.
ZHIFA_DIGEST_KEY = os.environ.get("ZHIFA_DIGEST_KEY", "")
ZHIFA_DIGEST_OLD_KEYS = env_list("ZHIFA_DIGEST_OLD_KEYS")

# Public certificate verification (/verify/): requests per client address and minute.
# The counter lives in the database, so the limit holds across several app servers.
ZHIFA_VERIFY_RATE_LIMIT = int(os.environ.get("ZHIFA_VERIFY_RATE_LIMIT", "30"))
# SUP-warning (legal-rules.md §9): a deadline due within this many working days is a
# yellow warning (the catalogue's default: 3).
ZHIFA_WARNING_WORKING_DAYS = int(os.environ.get("ZHIFA_WARNING_WORKING_DAYS", "3"))
# The public address printed in certificate QR codes (e.g. https://zhifa.example.gov.cn);
# empty: the address the card page was requested under.
ZHIFA_PUBLIC_BASE_URL = os.environ.get("ZHIFA_PUBLIC_BASE_URL", "")
# The publication log's origin (first line of its signed checkpoints, and the name of
# its key): one word naming this deployment's log, e.g. zhifa.example.gov.cn/transparency.
# Set it once: checkpoints of another origin no longer verify (docs/transparency.md).
TRANSPARENCY_ORIGIN = os.environ.get("ZHIFA_TRANSPARENCY_ORIGIN", "zhifa.localhost/transparency")
# Bulk audit (supervision, docs/supervision.md): the largest upload (a zip or the .json
# files chosen together), the most case files in one, the largest case file
# uncompressed (default: the engine's own cap, rules/engine/limits.py), the highest
# compression ratio of a member (above it: refused unread as a zip bomb), and how many
# bulk audits one user may have waiting at once.
ZHIFA_BULK_AUDIT_MAX_UPLOAD_BYTES = (
    int(os.environ.get("ZHIFA_BULK_AUDIT_MAX_UPLOAD_MB", "50")) << 20
)
ZHIFA_BULK_AUDIT_MAX_FILES = int(os.environ.get("ZHIFA_BULK_AUDIT_MAX_FILES", "1000"))
ZHIFA_BULK_AUDIT_MAX_FILE_BYTES = int(os.environ.get("ZHIFA_BULK_AUDIT_MAX_FILE_MB", "5")) << 20
ZHIFA_BULK_AUDIT_MAX_RATIO = int(os.environ.get("ZHIFA_BULK_AUDIT_MAX_RATIO", "200"))
ZHIFA_BULK_AUDIT_MAX_WAITING = int(os.environ.get("ZHIFA_BULK_AUDIT_MAX_WAITING", "2"))


# Background work: Django tasks (django-tasks) kept in the database, run by
# ``zhifa worker`` processes (``zhifa serve --with-worker`` starts one beside the web
# server, as ``make demo`` does). Any number of workers may run on any machine that
# reaches the database: a task is claimed by one of them under a row lock.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# API pagination: no page may ask for more than this many items.
NINJA_PAGINATION_MAX_LIMIT = 500

# The largest request body Django reads (a JSON body, or a form's fields besides its
# files): a case file of the largest size the engine accepts (rules/engine/limits.py),
# pasted on the audit page or posted to /api/v1/audit, with room for the form around it.
DATA_UPLOAD_MAX_MEMORY_SIZE = CASE_FILE_MAX_BYTES + 256 * 1024

"""One settings module, read from environment variables.

Development defaults work with no environment at all: SQLite in WAL mode, the in-memory channel layer, and
Celery tasks run in-process. Set DATABASE_URL (PostgreSQL) and REDIS_URL to get the production topology: the
Redis channel layer and real Celery workers.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable `name`, or `default` when it is unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """Return the environment variable `name` read as a boolean ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated environment variable `name` as a list of stripped strings."""
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL")  # absolute base for asset and release URLs; default: from the request

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    # django-ninja's own static files: the API docs page (/api/docs) then loads Swagger UI from this server,
    # not from a CDN, so it works without internet.
    "ninja",
    "labeling",
    "datasets",
]

MIDDLEWARE = [
    "labeling.middleware.ServerTimingMiddleware",
    "labeling.middleware.JsonErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "labeling.middleware.DatabaseRetryMiddleware",
    # Last on purpose: it is sync-only, so under ASGI every middleware above runs synchronously in one thread
    # hop instead of one hop per hook (measured: about twice as fast per request). It still inflates the body
    # before any view or process_view reads it.
    "labeling.middleware.GzipRequestMiddleware",
    "labeling.middleware.StrictInputMiddleware",
]
# A CSRF failure (a signed-in page's form or fetch without the token) answers JSON, like every API error.
CSRF_FAILURE_VIEW = "labeling.middleware.csrf_failure"

# The SDK mixes paths with and without a trailing slash; a redirect turns its POSTs into GETs.
APPEND_SLASH = False

ROOT_URLCONF = "labeling.urls"
ASGI_APPLICATION = "labeling.asgi.application"
WSGI_APPLICATION = "labeling.wsgi.application"

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
            ],
        },
    },
]

# Threads per web process that run Django views (labeling.asgi); keep DATABASE_POOL_MAX at least this.
HTTP_THREADS = int(env_str("HTTP_THREADS", "10"))

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Every request runs in one of HTTP_THREADS pool threads: without a pool each one opens a connection.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(env_str("DATABASE_POOL_MIN", "2")),
            "max_size": int(env_str("DATABASE_POOL_MAX", "20")),
            "timeout": 10,
        }
        # Django then checks a pooled connection (psycopg's ConnectionPool.check_connection: one empty round
        # trip) when a request takes it, and replaces one that PostgreSQL dropped (restart, failover,
        # pg_terminate_backend); without the check each dropped connection answered one request with 500.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DATABASE_POOL_CHECK", True)
        # Prepared statements: psycopg prepares a statement on its 5th run on a connection, and PostgreSQL then
        # stops planning the hot queries on every request (about 0.4 ms per label read on the bench machine).
        # Turn off behind a transaction-mode pooler (PgBouncer), which cannot keep them.
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
    # One test database per test run, so that concurrent runs on one server do not drop each other's.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("TEST_DATABASE_NAME", f"test_{DATABASES['default']['NAME']}_{os.getpid()}")
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the finders (frontend_static/, examples/, node_modules/) through WhiteNoise. For
# a production image set STATIC_ROOT and run `manage.py collectstatic`; WhiteNoise then serves the copies.
STATIC_ROOT = env_str("STATIC_ROOT") or None
# The demo photos are served as static files (examples/, with their licences).
STATICFILES_DIRS = [
    BASE_DIR / "frontend_static",
    ("examples", BASE_DIR / "examples"),
    # Front-end libraries installed by `npm ci` (package.json), loaded through the pages' import maps.
    ("node_modules", BASE_DIR / "node_modules"),
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Assets and release files: the local folder MEDIA_ROOT (embedded default), or an S3-compatible object store
# (AWS S3, MinIO, Ceph, ...) through django-storages, shared by every web process and worker on any host.
# Either way they are served at /media/ by labeling's own view under unguessable names (capability URLs).
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "s3":
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,  # unset: AWS
            "region_name": env_str("S3_REGION") or None,
            # Unset: boto3's own chain (AWS_* variables, instance role, ~/.aws).
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            # Path style for self-hosted stores (MinIO wants it); AWS's own default (virtual hosts) otherwise.
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path" if env_str("S3_ENDPOINT_URL") else "") or None,
            "default_acl": None,  # private objects: only our /media/ view reads them
            "file_overwrite": True,  # names hold 128 random bits: no existence check before each upload
            # A file read (an export, a served file) spills to a temporary file beyond this many bytes.
            "max_memory_size": 16 * 1024 * 1024,
        },
    }
elif STORAGE_BACKEND != "local":
    raise ImproperlyConfigured("STORAGE_BACKEND must be 'local' or 's3'")
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024 * 1024  # point-cloud segmentation labels are big JSON bodies
FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# Video import: the most frames one import may create (all its videos together), and the largest frame
# (width x height pixels; 8K by default) it decodes. The video file itself is bounded by ASSET_MAX_BYTES.
VIDEO_MAX_FRAMES_PER_IMPORT = int(env_str("VIDEO_MAX_FRAMES_PER_IMPORT", "10000"))
VIDEO_MAX_FRAME_PIXELS = int(env_str("VIDEO_MAX_FRAME_PIXELS", str(7680 * 4320)))

# Mail goes out only when EMAIL_HOST is set (e.g. the "set your password" link of a new account); without
# it the link is only shown to the admin who created the account.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "labeling@localhost")

MIB = 1024 * 1024
# The most a gzip request body (Content-Encoding: gzip, as the SDK sends) may inflate to, per kind of route:
# label writes, sample writes, anything else. Inflated only after authentication, chunk by chunk.
GZIP_MAX_LABEL_BYTES = int(env_str("GZIP_MAX_LABEL_MB", "256")) * MIB
GZIP_MAX_SAMPLE_BYTES = int(env_str("GZIP_MAX_SAMPLE_MB", "64")) * MIB
GZIP_MAX_BYTES = int(env_str("GZIP_MAX_OTHER_MB", "1")) * MIB
# The largest uploaded file, one setting for every way in: asset uploads (POST /assets/ then the upload form),
# the dataset page's uploader and the import page's. UPLOAD_MAX_FILE_BYTES (bytes), the page uploader's own
# setting before, is read when ASSET_MAX_MB is not set (deprecated).
ASSET_MAX_BYTES = int(env_str("ASSET_MAX_MB", "0")) * MIB or int(env_str("UPLOAD_MAX_FILE_BYTES", str(512 * MIB)))
UPLOAD_MAX_FILE_BYTES = ASSET_MAX_BYTES  # deprecated name, same value: code reads ASSET_MAX_BYTES
# The total a user may store in assets.
ASSET_QUOTA_BYTES = int(env_str("ASSET_QUOTA_MB", "10240")) * MIB

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py gives up a read after 5 s by default, the same as channels_redis's blocking read:
            # an idle websocket would die. Reads may block longer; connecting may not.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15, "socket_connect_timeout": 2}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis there is no worker: tasks run in-process, still enqueued after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "labeling")
# With Redis, a task taken by a worker that died unacknowledged (acks_late) is delivered again after this many
# seconds; keep it above the longest task (a release build of the biggest dataset), or it runs twice meanwhile.
# A broker that does not answer makes a send fail within 2 s (the outbox relay sends it later).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(env_str("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
# The outbox (docs/outbox.md): every worker sends the tasks that could not be delivered after their commit
# (broker down) every OUTBOX_RELAY_INTERVAL_SECONDS, once they are OUTBOX_RELAY_GRACE_SECONDS old.
OUTBOX_RELAY_INTERVAL_SECONDS = float(env_str("OUTBOX_RELAY_INTERVAL_SECONDS", "5"))
OUTBOX_RELAY_GRACE_SECONDS = float(env_str("OUTBOX_RELAY_GRACE_SECONDS", "10"))
# A release build delivered while another worker builds the same release looks again after this many seconds
# (in case that worker dies), until the release is no longer PENDING.
RELEASE_BUSY_RETRY_SECONDS = float(env_str("RELEASE_BUSY_RETRY_SECONDS", "60"))
# Point clouds: a worker reads each point-cloud sample's file (docs/pointclouds.md). Files of this server are read
# from storage; other URLs are fetched only from these hosts ("host" or "host:port"), never following redirects.
POINTCLOUD_FETCH_ALLOWED_HOSTS = env_list("POINTCLOUD_FETCH_ALLOWED_HOSTS", [])
POINTCLOUD_FETCH_TIMEOUT_SECONDS = float(env_str("POINTCLOUD_FETCH_TIMEOUT_SECONDS", "30"))
POINTCLOUD_MAX_BYTES = int(env_str("POINTCLOUD_MAX_BYTES", str(512 * 1024 * 1024)))
# Label history (docs/history.md): every saved version of a label is kept, compressed, within two limits that
# both apply: its LABEL_HISTORY_KEEP latest versions (0 = no count limit) and versions younger than
# LABEL_HISTORY_DAYS days (0 = no age limit); the current version is always kept. A worker prunes a label after
# every LABEL_HISTORY_PRUNE_EVERY-th version of it (0 = never); `manage.py prune_label_history` prunes all.
LABEL_HISTORY_KEEP = int(env_str("LABEL_HISTORY_KEEP", "50"))
LABEL_HISTORY_DAYS = int(env_str("LABEL_HISTORY_DAYS", "0"))
LABEL_HISTORY_PRUNE_EVERY = int(env_str("LABEL_HISTORY_PRUNE_EVERY", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

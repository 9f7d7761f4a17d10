"""coachapp settings: one module, every deployment difference comes from the environment.

`.env.example` documents each variable. Defaults are for a developer's machine: SQLite and
Celery's filesystem broker under var/, so `make run` needs no server.
"""

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import csp.constants as csp
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

# SQLite, the embedded broker, collected static files and uploads live here.
VAR_DIR = BASE_DIR / env.str("COACHAPP_VAR_DIR", default="var")

# pytest imports the settings with DEBUG off; it needs no secret and no collected static files.
TESTING = "pytest" in sys.modules

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    # Optional two-factor sign-in for coaches and admins: an authenticator app (TOTP) plus
    # single-use recovery codes. The sign-in steps are ours (accounts/views.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "athletes",
    "injuries",
    "testing",
    "programmes",
    "reminders",
    "phone",
    "webhooks",
    "monitoring",
    # The JSON API under /api/v1/ (docs/architecture.md#apps), with its hashed tokens (knox's
    # code, our token model: api.ApiToken) and its schema and docs page.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "api",
    # The project itself, last: its management command (seed_demo) and the pages that show every
    # app's data (docs/architecture.md#layers). It has no models.
    "coachapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language from Accept-Language: it picks how dates read (coachapp/formats/).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "coachapp.middleware.AppErrorMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coachapp.urls"
WSGI_APPLICATION = "coachapp.wsgi.application"

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
                "reminders.context_processors.unread_notifications",
                "coachapp.context_processors.site_links",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'coachapp.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Model choice fields iterate their querysets; on PostgreSQL that would open a server-side
# cursor (extra round trips) for every dropdown. Our lists are small: fetch them at once.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web process, a worker and beat share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A database host that does not answer fails a request in seconds, not at the TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    # Parameters bound by the server, and a query run often on a connection prepared there
    # (planned once): every page's queries repeat on the worker's kept connection, and this took
    # about a tenth off each page's time on the bench's data (docs/architecture.md#services-selectors-and-views).
    # Behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode), set
    # DATABASE_PREPARE_THRESHOLD=off.
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5").strip().lower()
    DATABASES["default"]["OPTIONS"].update(
        server_side_binding=True,
        prepare_threshold=None if _prepare in {"off", "none", ""} else int(_prepare),
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "athletes.User"
AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses a locked-out account or address before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, whose user comes with the header's unread count in the same query.
    "reminders.backends.UnreadCountBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Locked per (account, address) pair: wrong passwords typed somewhere never lock the account
# anywhere else, so nobody can lock a coach out by guessing from their own machine.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Slowed per address: this many failures from one address, whatever the accounts, pause that
# address (accounts.auth.SignInAttempts), so one address cannot try a password on every account.
SIGN_IN_ADDRESS_FAILURE_LIMIT = 30
AXES_HANDLER = "accounts.auth.SignInAttempts"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's email field
AXES_USERNAME_CALLABLE = "accounts.auth.axes_username"
AXES_RESET_ON_SUCCESS = True  # the pair's failures only (a success never clears an address)
AXES_VERBOSE = False  # our own sign-in log (accounts/signals.py) says what matters
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The one setting for the client's real address (lockouts, throttles, the sign-in log): how many
# proxies of ours sit in front of the app, each appending to X-Forwarded-For (0: none, the
# connection's address is the client's). The app must not be reachable around them.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.auth.client_address"
# Emails that anyone can make the app send are throttled (password resets: accounts/services.py;
# invitations: athletes/services.py). The answers stay the same whether or not an email has an account.
PASSWORD_RESET_EMAILS_PER_ACCOUNT_HOUR = 3
PASSWORD_RESET_REQUESTS_PER_ADDRESS_HOUR = 10
INVITATION_EMAILS_PER_COACH_HOUR = 50
INVITATION_EMAILS_PER_ADDRESS_DAY = 3
# Sessions: a new one at every sign-in (Django's login()); they end after inactivity, and
# after an absolute lifetime whatever the activity (athletes on their own phones stay longer).
# A password accepted for an account with two-factor sign-in waits this long for the code.
TWO_FACTOR_PENDING_SECONDS = 5 * 60
OTP_TOTP_ISSUER = "coachapp"
SESSION_IDLE_MINUTES = {"coach": 30, "admin": 30, "athlete": 60 * 24 * 7}
SESSION_MAX_HOURS = {"coach": 12, "admin": 12, "athlete": 24 * 30}
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing at full strength makes every test login take a tenth of a second.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# `make bench` only: adds the bare baseline view to the URLconf.
BENCH_ENABLED = env.bool("COACHAPP_BENCH", default=False)

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

LANGUAGE_CODE = "en-gb"
# Dates read "3 Dec 2026" for British English and any other English or language, "Dec 3, 2026"
# for American English (coachapp/formats/__init__.py). "en-us" rather than "en": a browser asking
# for en-AU or en-IN falls back to the first "en-..." listed, so only Americans get the US order.
LANGUAGES = [("en-gb", "English (UK)"), ("en-us", "English (US)")]
FORMAT_MODULE_PATH = ["coachapp.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# whitenoise warns on every request while the folder is missing (before collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads (exercise videos), docs/architecture.md#media. MEDIA_STORAGE=filesystem (the default)
# keeps them under MEDIA_ROOT: `make run` (DEBUG) serves them at MEDIA_URL, a server needs its proxy
# to. MEDIA_STORAGE=s3 puts them in an S3-compatible bucket through django-storages, whose S3
# client (boto3) is the optional `s3` extra (requirements/s3.txt): only then is it imported.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
# Where pages may play media from besides this site (the Content Security Policy's media-src).
MEDIA_ORIGINS: list[str] = []
if MEDIA_STORAGE == "filesystem":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs the S3 client: install requirements/s3.txt.")
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="")  # empty: Amazon S3 itself
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="")
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "location": env.str("AWS_LOCATION", default=""),
            # Signed, expiring links unless a public domain (a CDN) serves the bucket.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=not AWS_S3_CUSTOM_DOMAIN),
            "file_overwrite": False,  # a second upload of "squat.mp4" never replaces the first
            "default_acl": None,  # the bucket's own policy decides who may read
            "signature_version": "s3v4",
        },
    }
    # Credentials come from boto3's usual chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the
    # environment (or .env), a profile, or the machine's role.
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        endpoint = urlsplit(AWS_S3_ENDPOINT_URL)
        # Path-style (endpoint/bucket/...) and virtual-hosted (bucket.endpoint/...) links.
        MEDIA_ORIGINS = [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://*.{endpoint.netloc}"]
    else:
        MEDIA_ORIGINS = ["https://*.amazonaws.com"]
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
# The largest exercise video an admin may upload (programmes/videos.py checks it, and the type).
EXERCISE_VIDEO_MAX_MB = env.int("EXERCISE_VIDEO_MAX_MB", default=50)

STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: console by default; EMAIL_URL=smtp+tls://user:pass@host:587 for a real server.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="coachapp <noreply@coachapp.local>")
# Absolute links in emails (invitations, reminders) start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: Redis when REDIS_URL is set, otherwise the filesystem transport under var/ (no server).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_DATA_DIR = VAR_DIR / "celery"
# A hung Redis (the process alive, nothing answering) must cost a caller seconds, not the 30 of
# gunicorn's worker timeout: every Redis socket gives up after this long and nothing retries a
# timeout inside a request (README, "Operating it"). The worker's BRPOP waits 1 s on the server,
# so keep this above 1.
REDIS_TIMEOUT_SECONDS = 2.0
# What a web request (a pain alert's enqueue, /health/, the admin's queue depth) waits for the
# broker, on a connection of its own (reminders/broker.py): shorter, as a page must stay quick.
BROKER_REQUEST_TIMEOUT_SECONDS = 1.0
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Only for a message a dead worker had taken; reminders never wait for it (the sweep
        # requeues their rows, REMINDER_*_CLAIM_SECONDS below).
        "visibility_timeout": 3600,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "retry_on_timeout": False,
        # One connection attempt when a producer needs a channel: kombu's default is to retry
        # for broker_connection_timeout. Workers and beat reconnect in their own loops.
        "max_retries": 0,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
    CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT_SECONDS
    CELERY_REDIS_RETRY_ON_TIMEOUT = False
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # The same folder in and out, so that any process may send and any may receive.
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "store_processed": False,
    }
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat writes its own heartbeat row as it ticks (coachapp/celery.py), so /health/ can tell a
# stopped beat from a stopped worker.
CELERY_BEAT_SCHEDULER = "coachapp.celery:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE = {
    # Reminders live in the database; the sweep finds the due ones every minute.
    "reminders-sweep": {"task": "reminders.tasks.sweep", "schedule": 60.0},
    # Pain alerts cannot wait a minute for the sweep, nor ten for a dead worker's claim.
    "reminders-sweep-urgent": {"task": "reminders.tasks.sweep_urgent", "schedule": 15.0},
    # Two missed sessions in a row tell the coaches (programmes/reminders.py).
    "programmes-missed-sessions": {"task": "programmes.tasks.detect_missed_sessions", "schedule": 60.0 * 60},
    # Minor episodes end by themselves (or ask for a re-triage); idempotent, so hourly is enough.
    "programmes-episodes-sweep": {"task": "programmes.tasks.episodes_sweep", "schedule": 60.0 * 60},
    # What depends on the days passing (a Nordic block's week, a break) is planned afresh nightly.
    "programmes-regate-all": {"task": "programmes.tasks.regate_all", "schedule": crontab(hour=3, minute=10)},
    # Webhook retries that are due, and sends whose worker was lost (webhooks/services.py).
    "webhooks-sweep": {"task": "webhooks.tasks.sweep", "schedule": 60.0},
    # API idempotency keys older than API_IDEMPOTENCY_KEEP_HOURS are forgotten (api/services.py).
    "api-idempotency-expire": {"task": "api.tasks.idempotency_keys_expire", "schedule": 60.0 * 60},
    # The recurrence watch's flags, each once per flag and week, to the coaches (monitoring/services.py).
    "monitoring-recurrence-watch": {"task": "monitoring.tasks.recurrence_watch_remind", "schedule": crontab(hour=6, minute=30)},
    # Settled webhook deliveries older than WEBHOOK_KEEP_DAYS go, with their attempt logs.
    "webhooks-cleanup": {"task": "webhooks.tasks.cleanup", "schedule": crontab(hour=3, minute=40)},
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Webhooks (README, "Webhooks"): http://localhost and 127.0.0.1 receivers only when allowed (make run,
# tests); a send waits this long for an answer; failed sends are tried again after these minutes;
# after WEBHOOK_FAILURE_LIMIT failures in a row the endpoint is switched off; a send whose worker
# was lost is taken back after WEBHOOK_STALE_CLAIM_SECONDS (longer than the task's time limit);
# delivered, failed and cancelled deliveries untouched for WEBHOOK_KEEP_DAYS are deleted nightly.
WEBHOOK_ALLOW_LOCALHOST = env.bool("WEBHOOK_ALLOW_LOCALHOST", default=DEBUG)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_RETRY_MINUTES = (1, 5, 25, 125)
WEBHOOK_FAILURE_LIMIT = env.int("WEBHOOK_FAILURE_LIMIT", default=10)
WEBHOOK_STALE_CLAIM_SECONDS = int(max(60, WEBHOOK_TIMEOUT_SECONDS * 4))
WEBHOOK_KEEP_DAYS = env.int("WEBHOOK_KEEP_DAYS", default=30)
# A reminder claimed by a worker that died unsent goes back to the queue after this long.
REMINDER_STALE_CLAIM_SECONDS = env.int("REMINDER_STALE_CLAIM_SECONDS", default=600)
# The same for urgent kinds (pain alerts): it must outlive one send_reminder (its hard time limit,
# REMINDER_SEND_TIME_LIMIT), or a slow send could be started twice.
REMINDER_URGENT_STALE_CLAIM_SECONDS = 30
REMINDER_SEND_TIME_LIMIT = 25
REMINDER_SMTP_TIMEOUT = 10.0
# After a request finds the broker hung, the requests of that process stop trying for this long
# and leave their reminders to the sweep.
REMINDER_BROKER_BACKOFF_SECONDS = 15.0
# The worker and beat each write a heartbeat row this often; /health/ calls one stale when its
# row is older than REMINDER_HEARTBEAT_STALE_SECONDS.
REMINDER_HEARTBEAT_SECONDS = 60.0
REMINDER_HEARTBEAT_STALE_SECONDS = 150.0

# Web Push for reminders (README, "Push notifications"; docs/architecture.md#reminder-channels).
# Off unless both keys are set: WEBPUSH_VAPID_PUBLIC_KEY (the browser's applicationServerKey, the
# uncompressed P-256 point) and WEBPUSH_VAPID_PRIVATE_KEY (the raw 32-byte scalar), both base64url,
# as `manage.py webpush_keys` prints them. `make run` writes a pair to var/webpush-keys.env when
# none is set, read here in DEBUG only; tests set their own pair where they need push.
WEBPUSH_KEYS_FILE = VAR_DIR / "webpush-keys.env"
if DEBUG and not TESTING and WEBPUSH_KEYS_FILE.exists():
    env.read_env(WEBPUSH_KEYS_FILE)  # real environment variables still win
WEBPUSH_VAPID_PUBLIC_KEY = "" if TESTING else env.str("WEBPUSH_VAPID_PUBLIC_KEY", default="")
WEBPUSH_VAPID_PRIVATE_KEY = "" if TESTING else env.str("WEBPUSH_VAPID_PRIVATE_KEY", default="")
# Who the push services may contact about our sends (the VAPID "sub" claim): mailto: or https:.
WEBPUSH_CONTACT = env.str("WEBPUSH_CONTACT", default="mailto:" + DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">"))
# Subscriptions are accepted only for these push services (a host or a parent domain): the worker
# posts to whatever endpoint a browser gave, so an unknown host is refused rather than reached.
WEBPUSH_SERVICE_HOSTS = env.list("WEBPUSH_SERVICE_HOSTS", default=[
    "fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com",
])
# http://127.0.0.1 and localhost endpoints: `make run` and the tests' push stand-in only.
WEBPUSH_ALLOW_LOCALHOST = env.bool("WEBPUSH_ALLOW_LOCALHOST", default=DEBUG)
# One push waits this long for the push service. Should the mail server and every one of a person's
# WEBPUSH_MAX_DEVICES push services all hang, the send's soft time limit (REMINDER_SEND_TIME_LIMIT)
# stops it, and the retry sends only what had not gone (reminders/services.py, deliver).
WEBPUSH_TIMEOUT_SECONDS = 3.0
WEBPUSH_MAX_DEVICES = 5
# A push the push service could not take (5xx, 429, a timeout) is tried again with the reminder's
# retry, at most this many times in all; then that device is given up for that reminder.
WEBPUSH_MAX_ATTEMPTS = 5
# How long the push service keeps a push for a phone that is off (seconds).
WEBPUSH_TTL_SECONDS = 12 * 60 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# Production hardening: on whenever DEBUG is off. Tests and `make bench` serve plain http on
# localhost and switch the https-only parts off through the environment.
PRODUCTION = not DEBUG and not TESTING
# Behind a TLS-terminating proxy (docker-compose's web), trust its scheme header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer's probe speaks plain http
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: only our own scripts and styles, never inline ones and never eval.
# htmx is told the same in base.html (no injected indicator styles, no eval).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "media-src": [csp.SELF, *MEDIA_ORIGINS],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "manifest-src": [csp.SELF],
        "worker-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- The JSON API (docs/architecture.md#apps) ---------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",  # `Authorization: Token <token>`, stored hashed
        "rest_framework.authentication.SessionAuthentication",  # the app's own pages, with CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerToken", "rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": "600/minute",  # each token (or signed-in session) on its own
        "anon": "60/minute",  # per address, for a caller without a token or a session
    },
    "NUM_PROXIES": PROXY_COUNT,
    "EXCEPTION_HANDLER": "api.errors.handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
KNOX_TOKEN_MODEL = "api.ApiToken"
# knox's own token model is swapped for ours: none of its migrations run, so it has no table (one
# would hold a foreign key to users that `flush` does not know about).
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),  # the default; `api_token create --days N` and the page choose
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "cap_",  # recognisable in a leaked file or a secret scanner
}
# An Idempotency-Key is remembered this long (README, "The API"); the hourly
# api-idempotency-expire task forgets older ones. A client retries within minutes, not days.
API_IDEMPOTENCY_KEEP_HOURS = env.int("API_IDEMPOTENCY_KEEP_HOURS", default=24)
SPECTACULAR_SETTINGS = {
    "TITLE": "coachapp API",
    "DESCRIPTION": (
        "Read a club's teams, athletes, complaints, injuries, availability, programmes and tests, "
        "and run the triage rules. Send `Authorization: Token <token>`; tokens come from the "
        "security page or `manage.py api_token create`. Each choice is given as a code (the "
        "machine contract) and its words (`*_label`). Every error has one shape: "
        "`{\"error\": {\"status\", \"code\", \"message\", \"fields\"}}`. Guidance, not diagnosis."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from the installed package: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # An injury's phase appears as several fields (phase, to_phase, expected_phase): one name for it.
    "ENUM_NAME_OVERRIDES": {"InjuryPhaseEnum": "injuries.models.Injury.Phase"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.closed_triage_complaint",
        "api.schema.links",
    ],
}

"""
The one settings module. Everything that differs between a laptop and
production comes from the environment; the defaults are safe for local use.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default, *, minimum=None):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for local work."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Redirects live in django.contrib.redirects, whose rows belong to a Site.
    # See SITE_ID below: nothing else of the sites framework is relied on.
    "django.contrib.sites",
    "django.contrib.redirects",
    "taggit",
    "markdownx",
    "reversion",  # every save of an essay, section, person or work keeps a version
    "axes",
    "people",
    "works",
    "siteinfo",  # the site's name, tagline and author, edited in the admin
    "essays",
    "feedback",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sergesite.static_files.LazyWhiteNoiseMiddleware",
    # 304 for a page the browser has, whether built now or from the cache.
    "django.middleware.http.ConditionalGetMiddleware",
    # Before sessions and sign-in: a cached page for a reader skips them all.
    "sergesite.page_cache.PageCacheMiddleware",
    # Django's, but a cookie naming no session never makes one (sergesite/sessions.py).
    "sergesite.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Turns a sign-in refused by the throttle into its own page (see Sign-in below).
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees the 404 of any view and knows the signed-in user
    # (sergesite/redirects.py explains why not Django's own fallback middleware).
    "sergesite.redirects.RedirectMiddleware",
]

ROOT_URLCONF = "sergesite.urls"
WSGI_APPLICATION = "sergesite.wsgi.application"

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
                "django.template.context_processors.csp",
                "essays.context_processors.navigation",
                "siteinfo.context_processors.site",
            ],
        },
    },
]

# --- Sign-in --------------------------------------------------------------
# django-axes counts failed sign-ins in the database (so every worker process
# sees the same counts) and refuses any sign-in, even with the right password,
# for a user name or an address that failed LOGIN_FAILURE_LIMIT times, until
# LOGIN_COOLOFF_MINUTES after the last counted failure. Superusers see the
# attempts and lift a lock under "Access attempts" in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
# Either is enough: guessing many passwords for one user from many addresses,
# or many users' passwords from one address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts made during a lock are refused without being counted, so the lock
# ends when the page says it will instead of lasting as long as a bot knocks.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "sergesite.access.client_address"
AXES_LOCKOUT_CALLABLE = "sergesite.access.locked_out"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A session (in practice an editor's: readers never sign in) ends after this
# many idle minutes. Saving it on every request moves its expiry forward in
# the database and in the cookie alike, with no code of ours; the cost is one
# UPDATE per editor request, and none for readers, whose sessions are empty
# and never saved.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True

# Empty: the client is REMOTE_ADDR. Behind a proxy you trust, the request.META
# name of the header it sets (e.g. HTTP_X_FORWARDED_FOR); its last entry is
# used. Read by the sign-in throttle and the feedback rate limit.
# FEEDBACK_CLIENT_IP_HEADER is its older name.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER") or os.environ.get(
    "FEEDBACK_CLIENT_IP_HEADER", ""
)
if CLIENT_IP_HEADER and not re.fullmatch(r"HTTP_[A-Z0-9_]+", CLIENT_IP_HEADER):
    raise ImproperlyConfigured(
        "CLIENT_IP_HEADER must be a request.META name such as HTTP_X_FORWARDED_FOR, "
        f"not {CLIENT_IP_HEADER!r}."
    )

# --- Database -------------------------------------------------------------
# SQLite under var/ unless DATABASE_URL says otherwise (postgres://... in production).
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'sergesite.db'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {exc}") from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked",
    # and readers never block writers (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")

# Read replicas (docs/DEPLOY.md, "Growing past one machine"): one URL, or
# several separated by commas, become the aliases replica_1, replica_2, ...
# sergesite/db_router.py sends reads there and everything else to default.
# In tests each replica mirrors default, so no second test database is made.
_replica_urls = env_list("DATABASE_REPLICA_URL")
if _replica_urls and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL to be PostgreSQL.")
for _number, _url in enumerate(_replica_urls, 1):
    try:
        _replica = dj_database_url.parse(_url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL has a bad URL: {exc}") from None
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at PostgreSQL.")
    DATABASES[f"replica_{_number}"] = {**_replica, "TEST": {"MIRROR": "default"}}
if _replica_urls:
    # An instance rather than a dotted path: importing the router now connects
    # its request_started receiver before the first request, not during it.
    from sergesite.db_router import PrimaryReplicaRouter  # noqa: E402

    DATABASE_ROUTERS = [PrimaryReplicaRouter()]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, not {REDIS_URL!r}.")
    CACHES = {"default": {"BACKEND": "sergesite.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Without Redis, a folder of files that every worker process on this
    # machine shares: cached pages and the feedback rate limit hold across
    # workers, which a per-process memory cache would not. Several machines
    # need Redis (docs/DEPLOY.md).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000, minimum=100)},
        }
    }

# Whole pages for anonymous readers (sergesite/page_cache.py), refreshed by
# every save; 0 turns the page cache off. The time only bounds how long an
# unused page takes up room.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 60 * 60, minimum=0)

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------
# STATIC_URL and MEDIA_URL may be absolute (https://cdn.example.org/static/)
# to serve both from a CDN; the CDN fetches them from this site's /static/
# and /media/ (or from the bucket below). Their origins join the CSP below.
STATIC_URL = os.environ.get("STATIC_URL") or "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL") or "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
for _name, _url in (("STATIC_URL", STATIC_URL), ("MEDIA_URL", MEDIA_URL)):
    if not _url.endswith("/"):
        raise ImproperlyConfigured(f"{_name} must end with a slash, not {_url!r}.")
    if "://" in _url and not _url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{_name} must be a path or an http(s) address, not {_url!r}.")
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

# Uploaded images in an S3-compatible bucket (django-storages) instead of
# MEDIA_ROOT, so that several app servers share them. Only a dotted path
# here: nothing of django-storages or boto3 is imported until a file is saved
# or its URL built. Keys come from boto3's own AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (or an instance role), never from settings.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    if not MEDIA_URL.startswith("https://"):
        # Pages link images by this address, and the CSP must allow it: the
        # bucket's public address or the CDN in front of it.
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET needs MEDIA_URL set to the https:// address the bucket's "
            "files are served from (the bucket's public address or a CDN), ending in /."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            # Empty means AWS itself; set for other S3-compatible services.
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            # Links are MEDIA_URL + name: public, unsigned, cacheable by a CDN.
            "custom_domain": MEDIA_URL.removeprefix("https://").rstrip("/"),
            "querystring_auth": False,
            # A file opened for reading (the site export) spills to disk past
            # 10 MB instead of being held whole in memory.
            "max_memory_size": 10 * 1024**2,
            # The bucket's own policy decides who reads; no per-object ACLs.
            "default_acl": None,
            # Two uploads with one name never replace each other's image.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# --- Security -------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
# Off unless asked for: both reach beyond this site (every subdomain of its
# host; browsers' built-in lists), so an operator opts in knowingly
# (deploy/production.env.example and docs/DEPLOY.md explain the choice).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything the site shows comes from its own origin. The admin's
# markdownx editor needs inline styles for its preview pane.
from django.utils.csp import CSP  # noqa: E402


def _origin(url):
    # "https://cdn.example.org/static/" -> "https://cdn.example.org"; a path -> nothing.
    scheme, _, rest = url.partition("://")
    return [f"{scheme}://{rest.split('/', 1)[0]}"] if rest else []


# Static files or media served from a CDN or a bucket are the site's own too.
_static_origin = _origin(STATIC_URL)
_media_origin = _origin(MEDIA_URL)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, *_static_origin],
    "style-src": [CSP.SELF, *_static_origin],
    "img-src": [CSP.SELF, "data:", *_static_origin, *_media_origin],
    "font-src": [CSP.SELF, *_static_origin],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Email ----------------------------------------------------------------
# SMTP when EMAIL_HOST is set; otherwise messages are printed to the console.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sergesite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is told about new reader feedback.
FEEDBACK_NOTIFY = env_list("FEEDBACK_NOTIFY", "editor@localhost")

# --- Feedback -------------------------------------------------------------
# A form sent back sooner than this after it was opened is treated as spam.
FEEDBACK_MIN_FILL_SECONDS = env_int("FEEDBACK_MIN_FILL_SECONDS", 3)
# A form older than this is held for moderation: its token may have been harvested.
FEEDBACK_MAX_FORM_AGE = env_int("FEEDBACK_MAX_FORM_AGE", 2 * 24 * 60 * 60)
# At most this many messages per address per window (counted in the cache).
FEEDBACK_RATE_LIMIT = env_int("FEEDBACK_RATE_LIMIT", 5)
FEEDBACK_RATE_WINDOW = env_int("FEEDBACK_RATE_WINDOW", 10 * 60)
# More links than this and a message is held for moderation. One link is a
# reader citing a source; two or more are held, as WordPress holds comments.
FEEDBACK_MAX_LINKS = env_int("FEEDBACK_MAX_LINKS", 1, minimum=0)
# Addresses are only ever stored hashed with this salt (the client's address
# comes from CLIENT_IP_HEADER, above).
FEEDBACK_IP_SALT = os.environ.get("FEEDBACK_IP_SALT") or f"feedback-ip:{SECRET_KEY}"

# --- Site -----------------------------------------------------------------
# The one Site row that redirects belong to. Its domain is a placeholder and
# is never used for links: pages, the sitemap and the feeds build absolute
# addresses from the host each request came to, as before the sites
# framework was installed (see sergesite/redirects.py).
SITE_ID = 1
SITE_NAME = os.environ.get("SITE_NAME", "sergesite")
# The byline and citation author of essays that name no author of their own.
SITE_AUTHOR = os.environ.get("SITE_AUTHOR", f"The {SITE_NAME} editors")

# --- Third-party apps -----------------------------------------------------
TAGGIT_CASE_INSENSITIVE = True

MARKDOWNX_MARKDOWNIFY_FUNCTION = "sergesite.markup.render_markdown"
MARKDOWNX_URLS_PATH = "/admin/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin/markdownx/upload/"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = env_int("MARKDOWNX_UPLOAD_MAX_SIZE", 5 * 1024 * 1024)
# Never SVG: an SVG can carry script.
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

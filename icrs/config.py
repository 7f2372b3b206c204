"""Configuration: defaults here, then instance/config.py, then ICRS_* environment variables."""
import os

# A sentinel that start-up refuses outside debug.
DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # set in create_app: DATABASE_URL or SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True in production behind TLS (ICRS_SECURE_COOKIES=1)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_PROTECTION = "strong"

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Africa/Douala"
    LANGUAGES = ("fr", "en")

    ICRS_IDLE_TIMEOUT_MINUTES = 30
    ICRS_SESSION_MAX_HOURS = 12  # absolute session lifetime, however active
    ICRS_BASE_URL = None  # e.g. https://icrs.example.org/: e-mail links; required outside debug
    ICRS_TRUSTED_HOSTS = None  # more host names, comma-separated, besides ICRS_BASE_URL's
    ICRS_TRUSTED_PROXIES = 0  # reverse proxies in front (nginx: 1); 0 trusts no X-Forwarded-*
    ICRS_LOCKOUT_THRESHOLD = 5
    ICRS_LOGIN_DELAY_MAX_SECONDS = 900  # longest wait imposed after repeated failures
    ICRS_LOGIN_RATE_LIMIT = "20 per minute"
    ICRS_REGISTER_RATE_LIMIT = "30 per hour"  # per user: a registration runs the duplicate check
    ICRS_REQUIRE_2FA_FOR_STAFF = False  # admins and supervisors must enrol TOTP when True
    ICRS_DEMO_PASSWORD = "icrs-demo-2025"  # noqa: S105 - demo data only, documented in README
    ICRS_PAGE_SIZE = 25
    ICRS_RETENTION_YEARS = 5  # exited/reintegrated cases older than this are erasure candidates
    ICRS_FOLLOWUP_MONTHS = "1,3,6,12"  # follow-ups made after a completed referral, in months
    ICRS_SPOT_CHECK_RATE = 0.10  # share of recent handovers drawn for a spot-check (at least 1)
    # sites of other regions a case may be transferred to (icrs.transfers.rules), as pairs of
    # site codes that work together, both ways: "MER:BAM,MOR:BUE"
    ICRS_TRANSFER_PARTNER_SITES = ""
    ICRS_APPROVAL_OVERDUE_DAYS = 5  # an approval request waiting longer is marked overdue
    ICRS_COMPLAINT_RESPONSE_DAYS = 14  # a complaint is answered within (icrs.feedback)
    ICRS_SENSITIVE_COMPLAINT_RESPONSE_DAYS = 7  # a complaint about abuse by staff: sooner
    ICRS_FEEDBACK_CODE_RATE_LIMIT = "30 per hour"  # hotline entries per operator
    ICRS_FHIR_RATE_LIMIT = "120 per minute"  # FHIR API requests per partner token
    ICRS_PROVIDER_LINK_DAYS = 14  # a one-time provider link works this long (icrs.exchange)
    ICRS_PROVIDER_CODE_RATE_LIMIT = "10 per 15 minutes"  # short codes tried, per address
    ICRS_FIELD_DEVICE_DAYS = 90  # a field device credential (ODK Collect) works this long
    ICRS_OPENROSA_MAX_BYTES = 10 * 1024 * 1024  # one OpenRosa submission, attachments included
    ICRS_PLAN_APPROVAL_BUDGET = 300000  # XAF: a plan whose actions cost more needs approval
    ICRS_BREAK_GLASS_MINUTES = 60  # how long a break-glass opens a case's sensitive sections
    ICRS_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024  # one uploaded document (before downscaling)
    ICRS_ATTACHMENT_MAX_PIXELS = 1600  # longest side of a stored image
    ICRS_DASHBOARD_OVERLAP = True  # a spare connection per worker (icrs.dashboard.overlap)
    ICRS_METRICS_TOKEN = None  # /metrics from other hosts: Authorization: Bearer <token>
    # ICRS_JSON_LOGS: JSON-lines logs on stderr (default: on unless testing or debug)

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "moving-window"  # no burst of twice the limit across a window edge
    RATELIMIT_HEADERS_ENABLED = False

    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_FROM = "icrs@localhost"
    MAIL_USE_TLS = False  # STARTTLS before anything else (required with MAIL_USERNAME)
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_TLS_CA_FILE = None  # a private CA for the relay; default: the system's CAs

    ICRS_SMS_GATEWAY = "none"  # none (sends nothing), twilio or rapidpro (icrs.exchange)
    ICRS_SMS_BASE_URL = None  # default https://api.twilio.com or https://textit.com
    ICRS_SMS_ACCOUNT_SID = None  # twilio: the account SID
    ICRS_SMS_AUTH_TOKEN = None  # twilio: auth token (also signs replies); rapidpro: API token
    ICRS_SMS_FROM = None  # twilio: the sender number or short code
    ICRS_SMS_WEBHOOK_SECRET = None  # rapidpro: the X-ICRS-Webhook-Secret header of replies
    ICRS_SMS_TIMEOUT = 10  # seconds per gateway request
    ICRS_SMS_REPLY_RATE_LIMIT = "20 per hour"  # replies per sender number


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    ICRS_BASE_URL = "http://localhost/"  # the test client's host
    WTF_CSRF_ENABLED = False  # CSRF is re-enabled per test in tests/auth/test_csrf.py
    ICRS_LOGIN_RATE_LIMIT = "1000 per minute"
    ICRS_REGISTER_RATE_LIMIT = "1000 per minute"
    ICRS_FHIR_RATE_LIMIT = "1000 per minute"
    # A fixed master key for tests only; real deployments load theirs from instance/keys.
    ICRS_MASTER_KEY = "v1:" + "11" * 32
    SQLALCHEMY_ENGINE_OPTIONS = {}


ENV_OVERRIDES = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "ICRS_MASTER_KEY": str,
    "ICRS_BLIND_INDEX_KEY": str,
    "ICRS_AUDIT_KEY": str,
    "ICRS_AUDIT_ANCHOR_FILE": str,
    "ICRS_KEYS_DIR": str,
    "ICRS_DEMO_PASSWORD": str,
    "ICRS_FOLLOWUP_MONTHS": str,
    "ICRS_IDLE_TIMEOUT_MINUTES": int,
    "ICRS_SESSION_MAX_HOURS": int,
    "ICRS_LOCKOUT_THRESHOLD": int,
    "ICRS_LOGIN_DELAY_MAX_SECONDS": int,
    "ICRS_LOGIN_RATE_LIMIT": str,
    "ICRS_REGISTER_RATE_LIMIT": str,
    "ICRS_REQUIRE_2FA_FOR_STAFF": lambda v: v.lower() in ("1", "true", "yes"),
    "ICRS_SECURE_COOKIES": lambda v: v.lower() in ("1", "true", "yes"),
    "ICRS_TRUSTED_PROXIES": int,
    "ICRS_BASE_URL": str,
    "ICRS_TRUSTED_HOSTS": str,
    "REDIS_URL": str,
    "ICRS_DB_POOL_SIZE": int,
    "ICRS_DB_MAX_OVERFLOW": int,
    "ICRS_RETENTION_YEARS": int,
    "ICRS_APPROVAL_OVERDUE_DAYS": int,
    "ICRS_SPOT_CHECK_RATE": float,
    "ICRS_COMPLAINT_RESPONSE_DAYS": int,
    "ICRS_SENSITIVE_COMPLAINT_RESPONSE_DAYS": int,
    "ICRS_FEEDBACK_CODE_RATE_LIMIT": str,
    "ICRS_FHIR_RATE_LIMIT": str,
    "ICRS_PROVIDER_LINK_DAYS": int,
    "ICRS_PROVIDER_CODE_RATE_LIMIT": str,
    "ICRS_FIELD_DEVICE_DAYS": int,
    "ICRS_OPENROSA_MAX_BYTES": int,
    "ICRS_PLAN_APPROVAL_BUDGET": int,
    "ICRS_BREAK_GLASS_MINUTES": int,
    "ICRS_ATTACHMENT_MAX_BYTES": int,
    "ICRS_ATTACHMENT_MAX_PIXELS": int,
    "ICRS_DASHBOARD_OVERLAP": lambda v: v.lower() in ("1", "true", "yes"),
    "ICRS_METRICS_TOKEN": str,
    "ICRS_JSON_LOGS": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_FROM": str,
    "MAIL_USE_TLS": lambda v: v.lower() in ("1", "true", "yes"),
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_TLS_CA_FILE": str,
    "ICRS_SMS_GATEWAY": str,
    "ICRS_SMS_BASE_URL": str,
    "ICRS_SMS_ACCOUNT_SID": str,
    "ICRS_SMS_AUTH_TOKEN": str,
    "ICRS_SMS_FROM": str,
    "ICRS_SMS_WEBHOOK_SECRET": str,
    "ICRS_SMS_TIMEOUT": float,
    "ICRS_SMS_REPLY_RATE_LIMIT": str,
}


def apply_environment(config):
    """Copy recognised environment variables onto the Flask config."""
    for name, cast in ENV_OVERRIDES.items():
        if name in os.environ:
            config[name] = cast(os.environ[name])
    if config.get("ICRS_SECURE_COOKIES"):
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    if config.get("REDIS_URL"):
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    _pool_options(config)


def _pool_options(config):
    """PostgreSQL pool per worker: small, pre-pinged, recycled before server-side timeouts."""
    url = config.get("DATABASE_URL") or config.get("SQLALCHEMY_DATABASE_URI") or ""
    if not url.startswith("postgres"):
        return
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_pre_ping": True,
        "pool_size": config.get("ICRS_DB_POOL_SIZE", 5),
        "max_overflow": config.get("ICRS_DB_MAX_OVERFLOW", 5),
        "pool_recycle": 1800,
        "pool_timeout": 10,
    }

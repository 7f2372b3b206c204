"""ICRS — Information, Counselling and Referral Services for DDR reintegration."""
import os

from flask import Flask

from icrs.config import DEFAULT_SECRET_KEY, Config, apply_environment


class ConfigurationError(RuntimeError):
    """Start-up refused: the message says what to fix."""


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True,
                template_folder=os.path.join(os.path.dirname(__file__), "..", "templates"))
    app.config.from_object(config or Config)
    if config is None:
        app.config.from_pyfile("config.py", silent=True)
        apply_environment(app.config)
    _configure_database(app)
    _secure_instance(app)
    _check_secret_key(app)
    from icrs.core import urls
    urls.init_app(app)  # ICRS_BASE_URL required; its before_request refuses unknown hosts first
    _init_extensions(app)
    _register_blueprints(app)
    from icrs import cli, ops, web
    ops.init_app(app)  # first: its before_request (request id, timer) runs before the guards
    web.init_app(app)
    cli.init_app(app)
    return app


def _configure_database(app):
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "icrs.sqlite")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _secure_instance(app):
    """Owner-only instance folder and SQLite files (personal data, even encrypted, and keys)."""
    from icrs.instance_setup import secure_instance

    secure_instance(app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"])


def _check_secret_key(app):
    if app.debug or app.testing:
        return
    if not app.config.get("SECRET_KEY") or app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise ConfigurationError(
            "ICRS refuses to start with the default SECRET_KEY. Set SECRET_KEY in "
            f"{os.path.join(app.instance_path, 'config.py')} or the SECRET_KEY environment "
            "variable (make run creates one for you).")


def _init_extensions(app):
    from icrs import crypto
    from icrs.extensions import babel, csrf, db, limiter, login_manager, migrate
    from icrs.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..",
                                                     "migrations"))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    crypto.init_app(app)
    _enable_sqlite_pragmas(app)


def _enable_sqlite_pragmas(app):
    from icrs.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        apply_sqlite_pragmas(db.engine)


def apply_sqlite_pragmas(engine):
    """Run sqlite_pragmas() on every new connection of a SQLite engine."""
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        for pragma in sqlite_pragmas():
            cur.execute(pragma)
        cur.close()


def sqlite_pragmas():
    """Settings of every SQLite connection (the app's and the benchmark's raw baseline).

    WAL: readers and the writer no longer wait for each other. In the default rollback
    journal, a commit waits until every open read has finished, so one all-time dashboard
    (half a second of reading) held up the audit write of every page of the other workers.
    A commit also costs one fsync instead of three. The setting stays in the file; an
    in-memory database ignores it."""
    return ["PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000", "PRAGMA journal_mode=WAL"]


def _register_blueprints(app):
    """Every domain's blueprints, listed explicitly so a broken import fails loudly."""
    from icrs.approvals import views as approvals_views
    from icrs.assistance import views as assistance_views
    from icrs.audit import views as audit_views
    from icrs.auth.admin_views import bp as admin_bp
    from icrs.auth.views import bp as auth_bp
    from icrs.core.views import bp as core_bp
    from icrs.dashboard import views as dashboard_views
    from icrs.directory import views as directory_views
    from icrs.documents import views as documents_views
    from icrs.exchange import fhir_views, link_views, sms_inbound
    from icrs.feedback import views as feedback_views
    from icrs.field import views as field_views
    from icrs.groups import views as groups_views
    from icrs.households import views as households_views
    from icrs.lookups import views as lookups_views
    from icrs.openrosa import submission_views as openrosa_submission_views
    from icrs.openrosa import views as openrosa_views
    from icrs.people import views as people_views
    from icrs.places import views as places_views
    from icrs.plans import views as plans_views
    from icrs.profiling import views as profiling_views
    from icrs.referrals import views as referrals_views
    from icrs.transfers import views as transfers_views

    for bp in (core_bp, auth_bp, admin_bp):
        app.register_blueprint(bp)
    for module in (people_views, profiling_views, directory_views, referrals_views,
                   dashboard_views, audit_views, approvals_views, places_views,
                   lookups_views, documents_views, households_views,
                   assistance_views, feedback_views, plans_views, fhir_views,
                   transfers_views, link_views, sms_inbound,
                   groups_views, field_views, openrosa_views, openrosa_submission_views):
        for blueprint in getattr(module, "BLUEPRINTS", [module.bp]):
            app.register_blueprint(blueprint)

"""Family Course: a web course for families of a person with a substance use disorder."""

from pathlib import Path

from flask_babel import gettext
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings

from .converters import IdConverter
from .extensions import csrf, db, limiter, login_manager, migrate
from .forms import N_
from .i18n import init_i18n
from .logs import CourseFlask
from .mail import init_mail
from .security import register_security_headers
from .static_files import init_static


def create_app(config: type[settings.Config] | None = None, overrides: dict | None = None):
    """Build the app from a settings class (default: from COURSE_ENV) and optional overrides."""
    app = CourseFlask(
        __name__,
        instance_path=str(settings.INSTANCE_DIR),
        template_folder=str(settings.shipped("templates")),
    )
    # Every integer in a route is an id or a number stored in an INTEGER column: bound it,
    # for every route, so a huge one is a 404 (course/converters.py).
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(config or settings.config_from_environment())
    app.config.update(overrides or {})
    settings.finish(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    hops = app.config["COURSE_PROXY_HOPS"]
    if hops:
        # Trust exactly the configured proxies for the visitor's address, scheme and host.
        # Flask's documented way to add middleware; its types call wsgi_app a method, not
        # something to replace.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )

    # First, so its before_request names the route for the access log even when a later one
    # (CSRF, limits) refuses the request.
    register_security_headers(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.shipped("migrations")), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_mail(app)
    init_static(app)
    init_i18n(app)
    login_manager.login_view = "auth.login"
    # Marked for translation (babel.cfg finds N_); Flask-Login translates it when it flashes.
    login_manager.login_message = N_("Please log in to see that page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"

    # Imported for their effect: the tables, and Flask-Login's user loader.
    from . import models, sessions  # noqa: F401
    from .content.ext import init_content

    init_content(app)

    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .author import bp as author_bp
    from .cli import register_commands
    from .errors import register_error_handlers
    from .facilitate import bp as facilitate_bp
    from .family import bp as family_bp
    from .health import bp as health_bp
    from .learn import bp as learn_bp
    from .plan import bp as plan_bp
    from .templating import init_templating

    for blueprint in (
        learn_bp, auth_bp, family_bp, plan_bp, account_bp, facilitate_bp, author_bp, admin_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)
    init_templating(app)
    register_error_handlers(app)
    register_commands(app)
    return app


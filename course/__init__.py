"""Family Course: a web course for families of a person with a substance use disorder."""

from pathlib import Path

from flask import Flask

import config as settings

from .extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[settings.Config] | None = None, overrides: dict | None = None):
    """Build the app from a settings class (default: from COURSE_ENV) and optional overrides."""
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config or settings.config_from_environment())
    app.config.update(overrides or {})
    settings.finish(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"

    from . import models  # noqa: F401  Register the tables with SQLAlchemy.
    from .content.ext import init_content

    init_content(app)

    from .cli import register_commands
    from .errors import register_error_handlers
    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .author import bp as author_bp
    from .auth import bp as auth_bp
    from .facilitate import bp as facilitate_bp
    from .family import bp as family_bp
    from .learn import bp as learn_bp
    from .security import register_security_headers

    for blueprint in (
        learn_bp, auth_bp, family_bp, account_bp, facilitate_bp, author_bp, admin_bp,
    ):
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    register_security_headers(app)
    register_commands(app)
    return app


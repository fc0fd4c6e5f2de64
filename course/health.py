"""The health check that monitoring and load balancers ask: GET /healthz."""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .content.ext import current_catalog
from .extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 with what is loaded when the site can serve; 503 when the database is unreachable."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "unreachable"
    catalog = current_catalog()
    broken = {problem.path for problem in catalog.problems}
    body = {
        "status": "ok" if database == "ok" else "unavailable",
        "database": database,
        "content": {
            "modules": len(catalog.published), "modules_with_errors": len(broken),
            "translations": {lang: catalog.translation_counts(lang)
                             for lang in catalog.snapshot.translations},
        },
    }
    response = jsonify(body)
    response.status_code = 200 if database == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    if database != "ok":
        response.headers["Retry-After"] = "30"
    return response

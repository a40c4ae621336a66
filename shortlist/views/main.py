from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from shortlist.permissions import public, signed_in
from shortlist.services import vacancies as vacancies_service
from shortlist.services import status

bp = Blueprint("main", __name__)


@bp.get("/")
@public
def index():  # noqa: ANN201
    if current_user.is_authenticated:
        return redirect(url_for("main.vacancies"))
    return redirect(url_for("auth.login"))


@bp.get("/vacancies")
@signed_in
def vacancies():  # noqa: ANN201
    rows = vacancies_service.visible_to(current_user)
    return render_template("vacancies/index.html", vacancies=rows)


@bp.get("/accessibility")
@public
def accessibility():  # noqa: ANN201
    return render_template("accessibility.html", contact=current_app.config.get("ACCESSIBILITY_CONTACT", ""))


@bp.get("/health")
@public
def health():  # noqa: ANN201
    """For load balancers and monitoring: 200 when the database (and Redis, when configured)
    answer, else 503 naming which part is down (never why: no addresses or messages leak)."""
    checks = status.check_dependencies()
    healthy = all(value == "ok" for value in checks.values())
    return {"status": "ok" if healthy else "unavailable", **checks}, 200 if healthy else 503

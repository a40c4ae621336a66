"""HR's Integrations page: API tokens for other systems (issue 18), and the API's readable docs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from shortlist.forms.integrations import ActionForm, RevokeForm, TokenForm, WebhookForm
from shortlist.models import Role
from shortlist.permissions import organisations_for, public, role_required
from shortlist.services import api_tokens, audit, webhooks

bp = Blueprint("integrations", __name__)


def _choices() -> list[SelectChoice]:
    """The organisations the signed-in HR administrator administers (their ids)."""
    return [SelectChoice(str(o.id), o.name) for o in api_tokens.organisations(current_user)]


def _page(form: TokenForm, new_token: str | None = None, status: int = 200) -> Any:
    return render_template("integrations/index.html", form=form, tokens=api_tokens.listed(current_user),
                           new_token=new_token,
                           revoke_form=RevokeForm(formdata=None), scopes=api_tokens.SCOPES), status


def _form() -> TokenForm:
    form = TokenForm()
    form.organisation.choices = _choices()
    return form


@bp.get("/integrations/")
@role_required(Role.HR_ADMIN)
def index():  # noqa: ANN201
    return _page(_form())


@bp.post("/integrations/")
@role_required(Role.HR_ADMIN)
def create():  # noqa: ANN201
    form = _form()
    if not form.validate():
        return _page(form, status=400)
    try:
        row, token = api_tokens.create(current_user, form.name.data or "",
                                       api_tokens.organisation_of(current_user, form.organisation.data),
                                       list(form.scopes.data or []))
    except api_tokens.TokenRefused as refused:
        getattr(form, refused.field).errors = [str(refused)]
        return _page(form, status=400)
    flash(f"Token made for {row.name}", "success")
    fresh = TokenForm(formdata=None)
    fresh.organisation.choices = _choices()
    return _page(fresh, new_token=token)


@bp.post("/integrations/<int:token_id>/revoke")
@role_required(Role.HR_ADMIN)
def revoke(token_id: int):  # noqa: ANN201
    if not RevokeForm().validate():
        abort(400)
    row = api_tokens.revoke(current_user, token_id)
    if row is None:
        abort(404)
    flash(f"Token for {row.name} revoked: it no longer works", "success")
    return redirect(url_for("integrations.index"))


# --------------------------------------------------------------------------- webhooks


def _mine() -> frozenset[int]:
    return organisations_for(current_user, "administer")


def _webhook_form(formdata: Any = None) -> WebhookForm:
    form = WebhookForm() if formdata is None else WebhookForm(formdata=formdata)
    form.organisation.choices = _choices()
    form.events.choices = [SelectChoice(k, f"{k}: {v}") for k, v in webhooks.EVENTS.items()]
    return form


def _webhooks_page(form: WebhookForm, secret: str | None = None, status: int = 200) -> Any:
    return render_template("integrations/webhooks.html", form=form, secret=secret, endpoints=webhooks.endpoints(_mine()),
                           deliveries=webhooks.deliveries(_mine()), action_form=ActionForm(formdata=None),
                           header=webhooks.SIGNATURE_HEADER), status


@bp.get("/integrations/webhooks")
@role_required(Role.HR_ADMIN)
def webhooks_page():  # noqa: ANN201
    return _webhooks_page(_webhook_form())


@bp.post("/integrations/webhooks")
@role_required(Role.HR_ADMIN)
def register_webhook():  # noqa: ANN201
    form = _webhook_form()
    if not form.validate():
        return _webhooks_page(form, status=400)
    try:
        endpoint, secret = webhooks.register(api_tokens.organisation_of(current_user, form.organisation.data),
                                             form.url.data or "",
                                             form.events.data or [], audit.Actor.of(current_user), user=current_user)
    except webhooks.WebhookRefused as refused:
        getattr(form, refused.field).errors = [str(refused)]
        return _webhooks_page(form, status=400)
    flash(f"Webhook registered for {endpoint.host}", "success")
    return _webhooks_page(_webhook_form(formdata={}), secret=secret)


@bp.post("/integrations/webhooks/<int:webhook_id>/remove")
@role_required(Role.HR_ADMIN)
def remove_webhook(webhook_id: int):  # noqa: ANN201
    if not ActionForm().validate():
        abort(400)
    if webhooks.remove(webhook_id, audit.Actor.of(current_user), _mine()) is None:
        abort(404)
    flash("Webhook removed: nothing more is sent to it", "success")
    return redirect(url_for("integrations.webhooks_page"))


@bp.post("/integrations/deliveries/<int:delivery_id>/replay")
@role_required(Role.HR_ADMIN)
def replay(delivery_id: int):  # noqa: ANN201
    if not ActionForm().validate():
        abort(400)
    try:
        row = webhooks.replay(delivery_id, audit.Actor.of(current_user), _mine())
    except webhooks.WebhookRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("integrations.webhooks_page"))
    if row is None:
        abort(404)
    flash(f"Delivery {delivery_id} is being sent again (delivery {row.id})", "success")
    return redirect(url_for("integrations.webhooks_page") + "#deliveries")


@bp.get("/api/v1/docs")
@public
def docs():  # noqa: ANN201
    """The API's OpenAPI document, laid out as a page: every operation, its scope, what it
    takes and what it answers."""
    from shortlist.api import api

    spec = api.spec.to_dict()
    scopes = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            rule_scope = getattr(current_app.view_functions[rule.endpoint], "access_rule", "").removeprefix("api:")
            for method in rule.methods or ():
                scopes[(rule.rule.replace("<", "{").replace(">", "}"), method.lower())] = rule_scope
    operations = [{"method": method.upper(), "path": path, "op": op, "scope": scopes.get((path, method), "")}
                  for path, methods in spec["paths"].items() for method, op in methods.items()
                  if method in ("get", "put", "post", "patch", "delete")]
    return render_template("integrations/docs.html", spec=spec, operations=operations)

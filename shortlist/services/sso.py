"""Single sign-on with an organisation's OpenID provider (Entra ID, Google Workspace,
Keycloak, Okta, ...): Authlib's Flask client, the authorization code flow with PKCE
(S256), state and nonce.

    url = begin(connection, redirect_uri, next_url)   # to the provider
    outcome = complete(args, browser_state)           # back from it: a user, or SsoRefused

The ID token's signature (the provider's published keys), issuer, audience (our client
id), expiry and nonce are checked by Authlib with the options given here; the claims are
then judged by shortlist.rules.sso (a verified e-mail in an allowed domain, a mapped
role). The state is single-use on the server: the callback deletes its attempt before
anything else, so a replayed answer finds nothing. Every refusal is audited and writes
nothing else; a success writes the link, the account when one is made, the session and
the audit records in one transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.oauth2.base import OAuth2Error
from flask import current_app
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from sqlalchemy import delete, func, select

from shortlist.extensions import db
from shortlist.models import Organisation, OrganisationRole, SsoAttempt, SsoIdentity, User
from shortlist.rules.vocabulary import ORGANISATION_ROLES
from shortlist.models.base import utcnow
from shortlist.rules import sso as rules
from shortlist.services import audit, sessions
from shortlist.services.transactions import transaction

SCOPES = "openid email profile"
#: how long a person has at the provider before the attempt lapses
ATTEMPT_LIFETIME = timedelta(minutes=10)
#: how long a provider's discovery document (and keys) are kept before being read again
METADATA_LIFETIME = 3600.0
#: seconds to wait for the provider's discovery, keys and token endpoints
HTTP_TIMEOUT = 10
#: the Flask session's key for the organisation a person signed in through (sign-out offers
#: its end-session endpoint) and for the state of the sign-in under way
SESSION_ORGANISATION = "sso_organisation"
SESSION_STATE = "sso_state"


class SsoRefused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Connection:
    """An organisation's single sign-on: its provider's settings (SSO_SETTINGS_FILE, under the
    organisation's code) with what the organisation's row decides (issue 17): its name, the
    e-mail domains it signs in, and whether its people may also use a password."""

    code: str  # the organisation's short code
    name: str  # the organisation's name
    organisation_id: int
    issuer: str
    client_id: str
    client_secret: str
    domains: frozenset[str]
    trust_domains: bool = False
    role_claim: str | None = None
    role_map: Mapping[str, str] = field(default_factory=dict)
    create_accounts: bool = False
    password_sign_in: bool = True

    @property
    def policy(self) -> rules.SsoPolicy:
        return rules.SsoPolicy(organisation=self.name, domains=self.domains, trust_domains=self.trust_domains,
                               role_claim=self.role_claim, role_map=dict(self.role_map))

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


# --------------------------------------------------------------------------- settings


def _from_row(organisation: Organisation, raw: Mapping[str, Any]) -> Connection:
    """The organisation's domains, narrowed to those the settings list when they list any."""
    own = frozenset(d.lower() for d in organisation.email_domains or ())
    listed = frozenset(d.lower() for d in raw.get("domains") or ())
    return Connection(
        code=organisation.code, name=organisation.name, organisation_id=organisation.id,
        issuer=str(raw["issuer"]).rstrip("/"),
        client_id=str(raw["client_id"]), client_secret=str(raw.get("client_secret") or ""),
        domains=own & listed if listed else own,
        trust_domains=bool(raw.get("trust_domains")), role_claim=raw.get("role_claim") or None,
        role_map=dict(raw.get("role_map") or {}), create_accounts=bool(raw.get("create_accounts")),
        password_sign_in=organisation.password_sign_in)


def connections() -> list[Connection]:
    """Every organisation that signs its people in with single sign-on, by name: the
    organisations whose code the settings give a provider for (settings for a code no
    organisation has are not used)."""
    configured = {str(code).upper(): raw for code, raw in (current_app.config.get("SSO_CONNECTIONS") or {}).items()
                  if raw.get("issuer") and raw.get("client_id")}
    if not configured:
        return []
    rows = db.session.scalars(select(Organisation).where(Organisation.code.in_(configured)))
    found = [_from_row(row, configured[row.code]) for row in rows]
    return sorted(found, key=lambda c: c.name.lower())


def connection(code: str) -> Connection | None:
    return next((c for c in connections() if c.code == code.upper()), None)


def for_email(email: str) -> Connection | None:
    """The organisation whose single sign-on serves this address's domain (one of the
    organisation's own e-mail domains)."""
    domain = email.strip().lower().rpartition("@")[2]
    return next((c for c in connections() if domain and domain in c.domains), None)


def password_refused(email: str) -> Connection | None:
    """The organisation that has turned password sign-in off (its row's password_sign_in) for
    this address, if any: only where it has single sign-on to send the person to."""
    found = for_email(email)
    return found if found is not None and not found.password_sign_in else None


# --------------------------------------------------------------------------- the client

_clients: dict[tuple[str, ...], tuple[float, FlaskOAuth2App]] = {}
_clients_lock = threading.Lock()


def _client(conn: Connection) -> FlaskOAuth2App:
    """Authlib's Flask client for these settings (its discovery document and keys kept for
    METADATA_LIFETIME; new settings make a new client)."""
    secret = hashlib.sha256(conn.client_secret.encode()).hexdigest()
    key = (conn.code, conn.issuer, conn.client_id, secret)
    now = time.monotonic()
    with _clients_lock:
        cached = _clients.get(key)
        if cached and now - cached[0] < METADATA_LIFETIME:
            return cached[1]
        for old in [k for k in _clients if k[0] == conn.code]:
            del _clients[old]
        client = FlaskOAuth2App(
            FlaskIntegration(f"sso_{conn.code}"), f"sso_{conn.code}",
            client_id=conn.client_id, client_secret=conn.client_secret,
            server_metadata_url=conn.discovery_url,
            client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "default_timeout": HTTP_TIMEOUT},
        )
        _clients[key] = (now, client)
        return client


def _metadata(conn: Connection, client: FlaskOAuth2App) -> dict[str, Any]:
    try:
        metadata: dict[str, Any] = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise SsoRefused("provider_unreachable",
                         f"Shortlist could not reach {conn.name}'s sign-in service. Try again in a few minutes; "
                         "if it keeps happening, tell your IT service desk.") from error
    if str(metadata.get("issuer", "")).rstrip("/") != conn.issuer:
        raise SsoRefused("issuer_mismatch",
                         f"{conn.name}'s sign-in service says it is {metadata.get('issuer')!r}, not the issuer "
                         f"Shortlist is set up with ({conn.issuer}). Ask HR to check the single sign-on settings.")
    return metadata


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


# --------------------------------------------------------------------------- the flow


def begin(conn: Connection, redirect_uri: str, next_url: str = "", login_hint: str = "") -> tuple[str, str]:
    """(the provider's authorization URL, the state for the browser's session)."""
    client = _client(conn)
    _metadata(conn, client)
    extra = {"login_hint": login_hint} if login_hint else {}
    rv = client.create_authorization_url(redirect_uri, **extra)
    with transaction():
        db.session.execute(delete(SsoAttempt).where(SsoAttempt.created_at < utcnow() - ATTEMPT_LIFETIME))
        db.session.add(SsoAttempt(state_hash=_hash(rv["state"]), organisation=conn.code, nonce=rv["nonce"],
                                  code_verifier=rv["code_verifier"], redirect_uri=redirect_uri,
                                  next_url=next_url[:2000]))
    return rv["url"], rv["state"]


@dataclass(frozen=True)
class Outcome:
    user: User
    token: str  # the new session's token, for the cookie
    connection: Connection
    next_url: str
    created: bool
    linked: bool


_STALE = ("This sign-in has already been used, has expired, or was started in another browser. "
          "Start again from the sign-in page.")


@dataclass(frozen=True)
class _Pending:
    organisation: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    next_url: str
    created_at: datetime


def _take_attempt(state: str, browser_state: str | None) -> _Pending:
    """The attempt this answer belongs to, deleted (committed) whatever happens next."""
    if not state or not browser_state or not hmac.compare_digest(state, browser_state):
        raise SsoRefused("state_mismatch", _STALE)
    with transaction():
        attempt = db.session.scalar(select(SsoAttempt).where(SsoAttempt.state_hash == _hash(state)))
        if attempt is None:
            raise SsoRefused("state_unknown", _STALE)
        gone = db.session.execute(delete(SsoAttempt).where(SsoAttempt.id == attempt.id))
        if gone.rowcount != 1:  # type: ignore[attr-defined]  # another request took it first
            raise SsoRefused("state_unknown", _STALE)
        pending = _Pending(attempt.organisation, attempt.nonce, attempt.code_verifier, attempt.redirect_uri,
                           attempt.next_url, attempt.created_at)
    if utcnow() - pending.created_at > ATTEMPT_LIFETIME:
        raise SsoRefused("state_expired", _STALE)
    return pending


def _token_problem(conn: Connection, error: Exception) -> SsoRefused:
    what = "Shortlist could not check your sign-in with {org}: {why}. Nothing was changed. Try again; if it " \
           "happens again, tell your IT service desk."
    if isinstance(error, (BadSignatureError, InvalidKeyIdError)):
        reason, why = "bad_signature", f"its signature does not match {conn.name}'s published keys"
    elif isinstance(error, ExpiredTokenError):
        reason, why = "token_expired", "it had expired"
    elif isinstance(error, ClaimError) and error.claim in ("aud", "azp"):
        reason, why = "wrong_audience", "it was issued for another application"
    elif isinstance(error, ClaimError) and error.claim == "iss":
        reason, why = "wrong_issuer", "it was issued by another sign-in service"
    elif isinstance(error, ClaimError) and error.claim == "nonce":
        reason, why = "nonce_mismatch", "it belongs to another sign-in"
    elif isinstance(error, ClaimError):
        reason, why = f"claim_{error.claim}"[:40], f"its {error.claim!r} claim is not acceptable"
    else:
        reason, why = "token_unreadable", "its answer could not be read"
    return SsoRefused(reason, what.format(org=conn.name, why=why))


def complete(args: Mapping[str, str], browser_state: str | None) -> Outcome:
    """Check the provider's answer (the callback's query) and sign the person in."""
    attempt = _take_attempt(args.get("state", ""), browser_state)
    conn = connection(attempt.organisation)
    if conn is None:
        raise SsoRefused("not_configured", "This organisation no longer signs in with single sign-on. "
                                           "Sign in with your password, or ask HR.")
    try:
        return _complete(conn, attempt, args)
    except SsoRefused as refused:
        _record_refusal(conn, refused, args)
        raise


def _complete(conn: Connection, attempt: _Pending, args: Mapping[str, str]) -> Outcome:
    if args.get("error"):
        raise SsoRefused(f"provider_{args['error']}"[:40],
                         f"{conn.name}'s sign-in service did not sign you in ({args.get('error_description') or args['error']}). "
                         "Start again from the sign-in page.")
    client = _client(conn)
    metadata = _metadata(conn, client)
    if args.get("iss") and args["iss"] != metadata["issuer"]:  # RFC 9207: the answer names its issuer
        raise SsoRefused("wrong_issuer", f"The answer did not come from {conn.name}'s sign-in service. "
                                         "Start again from the sign-in page.")
    if not args.get("code"):
        raise SsoRefused("no_code", f"{conn.name}'s sign-in service sent no sign-in code. Start again.")
    try:
        token = client.fetch_access_token(redirect_uri=attempt.redirect_uri, code=args["code"],
                                          code_verifier=attempt.code_verifier)
    except (OAuthError, OAuth2Error, requests.RequestException, ValueError) as error:
        raise SsoRefused("token_refused", f"{conn.name}'s sign-in service would not confirm the sign-in. Nothing "
                                          "was changed. Start again from the sign-in page.") from error
    if "id_token" not in token:
        raise SsoRefused("no_id_token", f"{conn.name}'s sign-in service sent no ID token. Ask HR to check that "
                                        "it is set up for OpenID Connect.")
    options = {"iss": {"essential": True, "value": metadata["issuer"]},
               "aud": {"essential": True, "value": conn.client_id}}
    try:
        claims = client.parse_id_token(token, nonce=attempt.nonce, claims_options=options)
    except (JoseError, ValueError, KeyError) as error:
        raise _token_problem(conn, error) from error
    judged = rules.admit(dict(claims), conn.policy)
    if isinstance(judged, rules.Refusal):
        raise SsoRefused(judged.reason, judged.message)
    return _sign_in(conn, metadata["issuer"], judged, attempt.next_url)


def _sign_in(conn: Connection, issuer: str, person: rules.Person, next_url: str) -> Outcome:
    identity = db.session.scalar(select(SsoIdentity).where(SsoIdentity.issuer == issuer,
                                                           SsoIdentity.subject == person.subject))
    user = db.session.get(User, identity.user_id) if identity is not None else None
    created = linked = False
    if user is None:
        user = db.session.scalar(select(User).where(func.lower(User.email) == person.email))
        if user is not None:
            other = db.session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id,
                                                                SsoIdentity.issuer == issuer))
            if other is not None:  # the address now belongs to another account at the provider
                raise SsoRefused("identity_conflict",
                                 f"The Shortlist account for {person.email} is linked to another {conn.name} "
                                 "account. Ask HR to check it.")
        elif not conn.create_accounts:
            raise SsoRefused("no_account", f"There is no Shortlist account for {person.email}. Ask HR at "
                                           f"{conn.name} to invite you.")
    if user is not None and not user.active:
        raise SsoRefused("deactivated", f"The Shortlist account for {person.email} has been deactivated. "
                                        "Ask HR if you need it again.")
    with transaction():
        if user is None:
            user = User(email=person.email, name=person.name, role=person.role)
            if person.role in ORGANISATION_ROLES:  # the mapped role, held in the organisation (issue 17)
                user.organisation_roles.append(OrganisationRole(organisation_id=conn.organisation_id,
                                                                role=person.role))
            db.session.add(user)
            db.session.flush()
            created = True
            audit.record(audit.Actor(user.id, person.email), "user.created", organisation_id=conn.organisation_id,
                         subject=f"user {user.id}", email=person.email, role=person.role)
        if identity is None:
            identity = SsoIdentity(user_id=user.id, issuer=issuer, subject=person.subject,
                                   organisation=conn.code, email=person.email)
            db.session.add(identity)
            linked = True
            audit.record(audit.Actor.of(user), "auth.sso_linked", organisation_id=conn.organisation_id,
                         subject=f"user {user.id}", email=person.email, organisation=conn.code, created=created)
        identity.last_used_at = utcnow()
        identity.email = person.email
        token = sessions.start(user)
        audit.record(audit.Actor.of(user), "auth.login", email=user.email, method=f"sso:{conn.code}")
    return Outcome(user=user, token=token, connection=conn, next_url=next_url, created=created, linked=linked)


def _record_refusal(conn: Connection, refused: SsoRefused, args: Mapping[str, str]) -> None:
    with transaction():
        audit.record(audit.Actor(None, "anonymous"), "auth.sso_refused", organisation_id=conn.organisation_id,
                     organisation=conn.code, reason=refused.reason)


def record_stale(refused: SsoRefused) -> None:
    """A refusal before the organisation is known (a replayed or unknown state)."""
    with transaction():
        audit.record(audit.Actor(None, "anonymous"), "auth.sso_refused", organisation="", reason=refused.reason)


def end_session_url(conn: Connection, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session endpoint (RP-initiated logout), when it publishes one."""
    try:
        metadata = _metadata(conn, _client(conn))
    except SsoRefused:
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode({"client_id": conn.client_id, "post_logout_redirect_uri": post_logout_redirect_uri})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

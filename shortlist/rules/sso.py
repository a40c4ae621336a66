"""Single sign-on: who an organisation's identity provider may sign in, and as what.

Pure: the claims of an ID token whose signature, issuer, audience, expiry and nonce the
app has already checked (shortlist.services.sso), against the organisation's settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from shortlist.rules.vocabulary import HR_ADMIN, USER_ROLES

#: the most a role mapping may grant first; a person whose claims map to several roles gets the first
ROLE_PRECEDENCE: tuple[str, ...] = (HR_ADMIN, "recruiting_manager", "panel_member")
#: the role of an account made at first sign-in when no claim maps to one
DEFAULT_ROLE = "panel_member"
#: the claims a role mapping may read: groups (Entra ID, Keycloak, Okta) or app roles (Entra ID)
ROLE_CLAIMS: tuple[str, ...] = ("groups", "roles")

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}$")


@dataclass(frozen=True)
class SsoPolicy:
    """An organisation's single sign-on settings, as far as the claims are concerned."""

    organisation: str  # its name, for messages
    domains: frozenset[str]
    #: the provider is trusted to own the addresses in these domains (Entra ID sends no
    #: email_verified): an unverified address is then accepted in an allowed domain
    trust_domains: bool = False
    role_claim: str | None = None
    role_map: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    """Who the provider says signed in."""

    subject: str
    email: str
    name: str
    role: str  # the mapped role (DEFAULT_ROLE when none maps)


@dataclass(frozen=True)
class Refusal:
    reason: str  # a short code for the audit log
    message: str  # for the person


def parse_domains(text: str) -> tuple[list[str], list[str]]:
    """(domains, problems): one a line or comma-separated, '@' allowed in front."""
    domains: list[str] = []
    problems: list[str] = []
    for raw in re.split(r"[\s,;]+", text or ""):
        item = raw.strip().lower().lstrip("@")
        if not item:
            continue
        if not _DOMAIN.match(item):
            problems.append(f"{raw.strip()!r} is not an email domain, like example.gov.uk")
        elif item not in domains:
            domains.append(item)
    return domains, problems


def parse_role_map(text: str) -> tuple[dict[str, str], list[str]]:
    """(mapping, problems) from lines ``claim value = role`` (role: hr_admin,
    recruiting_manager or panel_member); blank lines and lines starting # are skipped."""
    mapping: dict[str, str] = {}
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        value, sep, role = line.rpartition("=")
        value, role = value.strip(), role.strip()
        if not sep or not value:
            problems.append(f"Line {number}: write 'group = role', like 'shortlist-hr = hr_admin'")
        elif role not in USER_ROLES:
            problems.append(f"Line {number}: {role!r} is not a role; use one of {', '.join(USER_ROLES)}")
        else:
            mapping[value] = role
    return mapping, problems


def mapped_role(claims: Mapping[str, object], policy: SsoPolicy) -> str:
    """The highest role any of the person's claim values maps to (DEFAULT_ROLE: none)."""
    if not policy.role_claim or not policy.role_map:
        return DEFAULT_ROLE
    raw = claims.get(policy.role_claim)
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else []
    roles = {policy.role_map[v] for v in values if isinstance(v, str) and v in policy.role_map}
    return next((role for role in ROLE_PRECEDENCE if role in roles), DEFAULT_ROLE)


def admit(claims: Mapping[str, object], policy: SsoPolicy) -> Person | Refusal:
    """The person, or why they may not sign in, from checked ID token claims."""
    org = policy.organisation
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        return Refusal("no_subject", f"{org}'s sign-in service did not say who you are. Try again, or ask "
                                     "your IT service desk.")
    email = claims.get("email")
    if not isinstance(email, str) or not _EMAIL.match(email.strip()):
        return Refusal("no_email", f"{org}'s sign-in service did not share your email address with Shortlist, "
                                   "so it cannot sign you in. Ask your IT service desk to allow the 'email' claim.")
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[1]
    if domain not in policy.domains:
        allowed = ", ".join(f"@{d}" for d in sorted(policy.domains)) or "none yet"
        return Refusal("domain_not_allowed",
                       f"{org} signs in people with addresses ending {allowed} only. Your account's address, "
                       f"{email}, is not one of them.")
    verified = claims.get("email_verified")
    if verified is not True and not (verified is None and policy.trust_domains):
        return Refusal("email_not_verified",
                       f"Your account's email address, {email}, is not verified by {org}'s sign-in service, so "
                       "Shortlist cannot sign you in with it. Ask your IT service desk to verify it.")
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip()) or email.split("@")[0]
    return Person(subject=subject, email=email, name=name.strip()[:200], role=mapped_role(claims, policy))


_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,19}$")
_SETTING_KEYS = frozenset({"name", "issuer", "client_id", "client_secret", "client_secret_env", "domains",
                           "trust_domains", "role_claim", "role_map", "create_accounts", "password_sign_in"})


def read_settings(document: object, environ: Mapping[str, str]) -> tuple[dict[str, dict[str, object]], list[str]]:
    """Organisations' single sign-on settings from a settings file's parsed JSON:
    ``{"KCC": {"issuer": ..., "client_id": ..., "client_secret_env": ...}}``, keyed by the
    organisation's code (issue 17: its name, its e-mail domains and whether its people may use a
    password are the organisation's own; ``domains``, when given, narrows single sign-on to
    those of its domains; ``name`` is a label for the file's reader).
    Returns (settings by code, problems), each problem naming the organisation and the key."""
    problems: list[str] = []
    found: dict[str, dict[str, object]] = {}
    if not isinstance(document, dict):
        return {}, ["the file must hold an object: organisation codes to their settings"]
    for code, raw in document.items():
        where = f"{code}"
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(f"{where}: an organisation code is 2 to 20 letters, digits or hyphens")
            continue
        if not isinstance(raw, dict):
            problems.append(f"{where}: the settings must be an object")
            continue
        unknown = sorted(set(raw) - _SETTING_KEYS)
        if unknown:
            problems.append(f"{where}: unknown settings {', '.join(unknown)}")
        text = {k: raw.get(k) for k in ("issuer", "client_id")}
        for key, value in text.items():
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: {key} is missing")
        if "password_sign_in" in raw:
            problems.append(f"{where}: password_sign_in is the organisation's own setting now: "
                            f"shortlist organisation-sign-in {code} --password-sign-in off")
        issuer = str(raw.get("issuer") or "").strip().rstrip("/")
        if issuer and not (issuer.startswith("https://") or re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?(/|$)",
                                                                    issuer)):
            problems.append(f"{where}: issuer must start https:// (http:// only on this machine)")
        secret = raw.get("client_secret")
        if raw.get("client_secret_env"):
            secret = environ.get(str(raw["client_secret_env"]), "")
            if not secret:
                problems.append(f"{where}: client_secret_env names {raw['client_secret_env']}, which is not set")
        if not isinstance(secret, str) or not secret:
            problems.append(f"{where}: client_secret (or client_secret_env, naming an environment variable) "
                            "is missing")
        domains_raw = raw.get("domains", [])
        domains, bad = parse_domains(" ".join(domains_raw) if isinstance(domains_raw, list)
                                     and all(isinstance(d, str) for d in domains_raw) else "")
        if bad or (domains_raw and not domains) or not isinstance(domains_raw, list):
            problems.append(f"{where}: domains must be a list of e-mail domains, like [\"kent.gov.uk\"], or left "
                            "out (the organisation's own)" + (f" ({bad[0]})" if bad else ""))
        role_claim = raw.get("role_claim") or ""
        if role_claim not in ("", *ROLE_CLAIMS):
            problems.append(f"{where}: role_claim must be {' or '.join(ROLE_CLAIMS)}")
        role_map = raw.get("role_map") or {}
        if not isinstance(role_map, dict) or any(not isinstance(k, str) or v not in USER_ROLES
                                                 for k, v in role_map.items()):
            problems.append(f"{where}: role_map maps claim values to {', '.join(USER_ROLES)}")
            role_map = {}
        flags = {k: raw.get(k, default) for k, default in (("trust_domains", False), ("create_accounts", False))}
        for key, value in flags.items():
            if not isinstance(value, bool):
                problems.append(f"{where}: {key} must be true or false")
        found[code] = {"name": str(raw.get("name") or "").strip(), "issuer": issuer,
                       "client_id": str(raw.get("client_id") or "").strip(), "client_secret": secret or "",
                       "domains": domains, "role_claim": role_claim, "role_map": dict(role_map), **flags}
    return ({} if problems else found), problems

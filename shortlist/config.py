"""Configuration from the environment. No secret has a fixed default."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """The environment does not configure the app well enough to start."""


def _secret_key(instance_path: Path, production: bool) -> str:
    """SECRET_KEY from the environment; outside production, else the instance folder's own key.

    Production must set SECRET_KEY. A development instance gets a random key of its
    own, written once to its instance folder. There is never a fixed default.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY is not set: production (SHORTLIST_ENV=production) needs one in the environment.")
    return write_instance_secret(instance_path).read_text().strip()


def write_instance_secret(instance_path: Path) -> Path:
    """Create a random development key in the instance folder (kept if present)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file


def database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style postgres:// URLs name no driver; SQLAlchemy wants psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{instance_path / 'shortlist.db'}"


def from_environment(instance_path: Path, overrides: dict[str, Any] | None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    production = os.environ.get("SHORTLIST_ENV", "development") == "production"
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": overrides.pop("SQLALCHEMY_DATABASE_URI", None)
        or database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        # the longest a sign-in lasts, however active (seconds), and the longest it may sit idle
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 8,
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        # how long a link to set a password works (hours; once only)
        "ACCESS_LINK_HOURS": int(os.environ.get("ACCESS_LINK_HOURS", "72")),
        # how long an e-mailed password reset link works (minutes; once only), and how many a
        # person can be sent in an hour (more requests get the same answer and send nothing)
        "PASSWORD_RESET_MINUTES": int(os.environ.get("PASSWORD_RESET_MINUTES", "60")),
        "PASSWORD_RESETS_PER_HOUR": int(os.environ.get("PASSWORD_RESETS_PER_HOUR", "3")),
        # the roles that must use two-factor sign-in (TOTP) when they sign in with a password
        # (comma-separated; others may turn it on for themselves)
        "TWO_FACTOR_REQUIRED_ROLES": tuple(r.strip() for r in os.environ.get(
            "TWO_FACTOR_REQUIRED_ROLES", "hr_admin").split(",") if r.strip()),
        # how long a candidate's interview booking link works (days; a new link replaces it)
        "BOOKING_LINK_DAYS": int(os.environ.get("BOOKING_LINK_DAYS", "28")),
        # sign-in throttling: this many failures in the window for one account from one address
        # (ACCOUNT_LIMIT), or from one address for any (ADDRESS_LIMIT), and the next attempt from
        # that address is refused (429) until the window has passed; an account's failures from
        # every address only slow its sign-in down (doubling from 0.25 s, at most
        # LOGIN_ACCOUNT_DELAY_MAX_SECONDS), so a stranger never locks its owner out
        "LOGIN_THROTTLE_WINDOW_MINUTES": int(os.environ.get("LOGIN_THROTTLE_WINDOW_MINUTES", "15")),
        "LOGIN_THROTTLE_ACCOUNT_LIMIT": int(os.environ.get("LOGIN_THROTTLE_ACCOUNT_LIMIT", "5")),
        "LOGIN_THROTTLE_ADDRESS_LIMIT": int(os.environ.get("LOGIN_THROTTLE_ADDRESS_LIMIT", "20")),
        "LOGIN_ACCOUNT_DELAY_MAX_SECONDS": float(os.environ.get("LOGIN_ACCOUNT_DELAY_MAX_SECONDS", "3")),
        # scrypt's cost, as log2(N) (17: 128 MiB a hash); each hash records its own
        "PASSWORD_SCRYPT_LOG2_N": int(os.environ.get("PASSWORD_SCRYPT_LOG2_N", "17")),
        # how many proxies in front of the app set X-Forwarded-For (the client address for throttling)
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "0")),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "SAFER_RECRUITMENT_REFRESH_YEARS": int(os.environ.get("SAFER_RECRUITMENT_REFRESH_YEARS", "3")),
        "SHORTLIST_PRODUCTION": production,
        # where users report accessibility problems (the accessibility statement names it)
        "ACCESSIBILITY_CONTACT": os.environ.get("ACCESSIBILITY_CONTACT", "").strip(),
    }
    config.update(mail_settings())
    config["SSO_CONNECTIONS"] = sso_settings()
    if "SECRET_KEY" not in overrides:
        config["SECRET_KEY"] = _secret_key(instance_path, production)
    config.update(overrides)
    check_mail(config)
    return config


def sso_settings() -> dict[str, Any]:
    """Organisations' single sign-on (docs/sign-in.md): the JSON file SSO_SETTINGS_FILE names
    (none: password sign-in only)."""
    import json

    from shortlist.rules import sso

    named = os.environ.get("SSO_SETTINGS_FILE", "").strip()
    if not named:
        return {}
    path = Path(named)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"single sign-on settings {path}: {error}") from error
    settings, problems = sso.read_settings(document, os.environ)
    if problems:
        raise ConfigError(f"single sign-on settings {path}: " + "; ".join(problems))
    return settings


MAIL_BACKENDS = ("outbox", "smtp", "notify")
SMTP_SECURITY = ("starttls", "ssl", "none")


def _template_ids(text: str) -> dict[str, str]:
    """NOTIFY_TEMPLATE_IDS: ``kind=template-id`` pairs separated by commas or new lines;
    ``default=...`` serves every kind without its own."""
    pairs: dict[str, str] = {}
    for item in text.replace("\n", ",").split(","):
        if not item.strip():
            continue
        kind, sep, template_id = item.partition("=")
        if not sep or not kind.strip() or not template_id.strip():
            raise ConfigError(f"NOTIFY_TEMPLATE_IDS: {item.strip()!r} is not kind=template-id")
        pairs[kind.strip()] = template_id.strip()
    return pairs


def mail_settings() -> dict[str, Any]:
    """E-mail: which backend delivers the outbox, and its settings (README, Configuration)."""
    env = os.environ.get
    return {
        # outbox: nothing leaves the machine, HR reads each message on the outbox page
        "MAIL_BACKEND": env("MAIL_BACKEND", "outbox").strip().lower(),
        "MAIL_FROM": env("MAIL_FROM", "Shortlist <shortlist@localhost>").strip(),
        "MAIL_REPLY_TO": env("MAIL_REPLY_TO", "").strip(),
        "MAIL_MAX_ATTEMPTS": int(env("MAIL_MAX_ATTEMPTS", "6")),
        # queue a delivery job as each transaction that wrote a message commits (tests turn it off
        # and deliver by hand)
        "MAIL_DELIVER_AFTER_COMMIT": True,
        "SMTP_HOST": env("SMTP_HOST", "").strip(),
        "SMTP_PORT": int(env("SMTP_PORT", "587")),
        "SMTP_SECURITY": env("SMTP_SECURITY", "starttls").strip().lower(),
        "SMTP_USERNAME": env("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env("SMTP_PASSWORD", ""),
        "SMTP_TIMEOUT": float(env("SMTP_TIMEOUT", "30")),
        # a CA bundle to trust for the relay's certificate (an internal CA); default: the system's
        "SMTP_CA_FILE": env("SMTP_CA_FILE", "").strip(),
        "NOTIFY_API_KEY": env("NOTIFY_API_KEY", "").strip(),
        "NOTIFY_BASE_URL": env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk").strip(),
        "NOTIFY_TEMPLATE_IDS": _template_ids(env("NOTIFY_TEMPLATE_IDS", "")),
        "NOTIFY_TIMEOUT": float(env("NOTIFY_TIMEOUT", "30")),
        # where the app is reached from outside: the links in e-mails
        "SHORTLIST_BASE_URL": env("SHORTLIST_BASE_URL", "http://127.0.0.1:5000").strip().rstrip("/"),
    }


def check_mail(config: dict[str, Any]) -> None:
    """Refuse to start with a mail backend that could not deliver anything."""
    backend = config["MAIL_BACKEND"]
    if backend not in MAIL_BACKENDS:
        raise ConfigError(f"MAIL_BACKEND is {backend!r}: use one of {', '.join(MAIL_BACKENDS)}")
    if backend == "smtp":
        if not config["SMTP_HOST"]:
            raise ConfigError("MAIL_BACKEND is smtp but SMTP_HOST is not set")
        if config["SMTP_SECURITY"] not in SMTP_SECURITY:
            raise ConfigError(f"SMTP_SECURITY is {config['SMTP_SECURITY']!r}: use one of {', '.join(SMTP_SECURITY)}")
        if bool(config["SMTP_USERNAME"]) != bool(config["SMTP_PASSWORD"]):
            raise ConfigError("Set both SMTP_USERNAME and SMTP_PASSWORD, or neither")
    if backend == "notify":
        key = config["NOTIFY_API_KEY"]
        if len(key) < 74:  # {key name}-{service id}-{secret}: two UUIDs after the name
            raise ConfigError("MAIL_BACKEND is notify but NOTIFY_API_KEY is not a GOV.UK Notify API key")
        if not config["NOTIFY_TEMPLATE_IDS"]:
            raise ConfigError("MAIL_BACKEND is notify but NOTIFY_TEMPLATE_IDS names no template "
                              "(default=<template id> serves every kind of message)")

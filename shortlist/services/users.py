"""User accounts."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from shortlist.extensions import db
from shortlist.models import Role, User
from shortlist.services import audit

MIN_PASSWORD_LENGTH = 12
# A hash to compare against when the account does not exist, so an unknown e-mail
# costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000", method="scrypt")


class PasswordRejected(ValueError):
    pass


def hash_password(password: str) -> str:
    """scrypt: memory-hard, from Werkzeug."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password, method="scrypt")


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user when the e-mail and password match an active account, else None."""
    user = find_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def upsert_user(email: str, name: str, role: Role, password: str | None, actor: audit.Actor) -> User:
    """Create the user, or update their name, role and password; one transaction."""
    email = email.strip().lower()
    user = find_by_email(email)
    created = user is None
    if user is None:
        user = User(email=email, name=name, role=role.value)
        db.session.add(user)
    else:
        user.name = name
        user.role = role.value
    if password is not None:
        user.password_hash = hash_password(password)
    db.session.flush()
    if created:
        audit.record(actor, "user.created", subject=f"user {user.id}", email=email, role=role.value)
    if password is not None:
        audit.record(actor, "user.password_set", subject=f"user {user.id}", email=email)
    db.session.commit()
    return user

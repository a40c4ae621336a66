"""One way to write (issue 15.3): `with transaction():` stores all of a use case or none of
it; `retrying` runs a use case again when another request's write got there first."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shortlist.extensions import db
from shortlist.models import Role, User
from shortlist.services.refusals import PanelRefused, Problem, Refused
from shortlist.services.transactions import retrying, transaction


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def _person(email: str) -> User:
    return User(email=email, name="A Person", role=Role.PANEL_MEMBER)


def test_a_transaction_stores_everything_at_its_end() -> None:
    with transaction():
        db.session.add(_person("a@example.org"))
        db.session.add(_person("b@example.org"))
    db.session.remove()
    assert _users() == 2


def test_a_refused_transaction_stores_nothing() -> None:
    with pytest.raises(PanelRefused), transaction():
        db.session.add(_person("a@example.org"))
        db.session.flush()
        raise PanelRefused.one("no", "Refused after a write")
    db.session.remove()
    assert _users() == 0


def _adding(clashes: int, attempts: list[str]):  # noqa: ANN202
    """A use case adding a person that clashes with a stored row ``clashes`` times, then not."""

    def add() -> str:
        attempts.append("tried")
        email = "taken@example.org" if len(attempts) <= clashes else "free@example.org"
        with transaction():
            db.session.add(_person(email))
        return email

    with transaction():
        db.session.add(_person("taken@example.org"))
    return add


def test_a_clash_is_tried_again_from_the_start() -> None:
    attempts: list[str] = []
    assert retrying(_adding(1, attempts)) == "free@example.org"
    assert len(attempts) == 2
    db.session.remove()
    assert _users() == 2


def test_a_clash_every_time_is_raised_after_the_last_attempt() -> None:
    attempts: list[str] = []
    with pytest.raises(IntegrityError):
        retrying(_adding(99, attempts), attempts=3)
    assert len(attempts) == 3


def test_a_refusal_says_why_and_which_field() -> None:
    refused = PanelRefused([Problem("a", "First", "score"), Problem("b", "Second", "score"), Problem("c", "Page")])
    assert isinstance(refused, Refused)
    assert str(refused) == "First; Second; Page"
    assert refused.codes == ["a", "b", "c"]
    assert refused.by_field == {"score": "First"}
    assert refused.errors[2] == {"text": "Page", "href": "#main-content"}

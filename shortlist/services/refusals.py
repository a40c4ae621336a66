"""One refusal type (issue 15.3): a use case that breaks a rule stores nothing and raises a
`Refused`, whose problems each say why, in plain English, and which form field to fix.

Views catch `Refused` (or the one service's subclass) and show ``errors`` (the GOV.UK error
summary) and ``by_field`` (the message beside each field). The subclasses say whose rule it
was; each keeps the constructor its service raises it with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """Why: ``code`` for machines, ``message`` for people, ``field`` the form field to fix
    (None: the page), ``criterion`` the criterion concerned, if any."""

    code: str
    message: str
    field: str | None = None
    criterion: str | None = None

    def as_error(self) -> dict[str, str]:
        """The GOV.UK error summary's shape."""
        return {"text": self.message, "href": f"#{self.field}" if self.field else "#main-content"}


class Refused(Exception):
    """Refused, and nothing stored."""

    #: between the problems' messages in ``str(refused)``
    separator = "; "

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.separator.join(p.message for p in self.problems))

    @classmethod
    def one(cls, code: str, message: str, field: str | None = None, criterion: str | None = None) -> Refused:
        """A refusal with one problem (for the subclasses made from problems)."""
        return cls([Problem(code, message, field, criterion)])

    @property
    def message(self) -> str:
        return str(self)

    @property
    def field(self) -> str | None:
        """The first problem's field (None: the page)."""
        return self.problems[0].field if self.problems else None

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    @property
    def errors(self) -> list[dict[str, str]]:
        return [p.as_error() for p in self.problems]

    @property
    def by_field(self) -> dict[str, str]:
        """Each field's first message."""
        found: dict[str, str] = {}
        for p in self.problems:
            if p.field and p.field not in found:
                found[p.field] = p.message
        return found


class _OneProblem(Refused):
    """A refusal with one message (and the field to fix)."""

    def __init__(self, message: str, field: str | None = None, *, code: str = "refused"):
        super().__init__([Problem(code, message, field)])


# ----------------------------------------------------------------- whose rule


class PanelRefused(Refused):
    """The panel's work: conflicts, scores, agreed scores, decisions, interviews."""


class DocumentRefused(Refused):
    """An interview pack or shortlisting record cannot be produced."""

    separator = " "


class SetupRefused(Refused):
    """A set-up change breaks a rule; ``findings`` (the engine's) say which."""

    def __init__(self, findings: list[Any]):
        self.findings = findings
        super().__init__([Problem(f.code, f.message, f.field, f.criterion) for f in findings])


class Locked(_OneProblem):
    """Scores have been submitted: only HR may change the scale or criteria."""


class TemplateRefused(Refused):
    """A message's wording is refused (``problems`` name the subject or the body)."""


class MessagingRefused(Refused):
    """A vacancy's message settings are refused: (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__([Problem("refused", message, field) for field, message in problems])


class TrainingRefused(_OneProblem):
    """A safer-recruitment training date is refused."""


class GrantRefused(_OneProblem):
    """Sharing declarations with someone is refused."""


class HoldRefused(_OneProblem):
    """A legal hold is refused."""


class CloseRefused(_OneProblem):
    """Closing applications is refused."""


class BookingRefused(_OneProblem):
    """Booking, changing or cancelling an interview time is refused (``field``: "time" unless said)."""

    def __init__(self, message: str, field: str | None = "time", *, code: str = "refused"):
        super().__init__(message, field, code=code)

    def as_error(self) -> dict[str, str]:
        return self.errors[0]


class LinkRefused(_OneProblem):
    """Making or using a one-time link is refused."""


class TwoFactorRefused(_OneProblem):
    """Setting up, using or turning off two-factor sign-in is refused."""


class OutboxRefused(_OneProblem):
    """Acting on a message in the outbox is refused."""


class CandidateMailRefused(_OneProblem):
    """A candidate's address is used only once the shortlist is final."""


class OrganisationRefused(Refused):
    """Creating an organisation, or naming one, is refused (``problems`` name the field)."""


class AccountRefused(Refused):
    """A change to a person's account (roles, status, an invitation) is refused."""

"""Panel forms. The scoring form is generated from the vacancy's criteria for the stage:
one radio group per criterion (the scale, with its descriptors) and a note."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from shortlist.models import GAP_MARK_NAMES, Criterion, Vacancy
from shortlist.rules import Reason
from shortlist.services.panel import DECISION_LABELS, OVERRIDE_LABELS


class ScoringFormBase(FlaskForm):
    save = SubmitField("Save as draft", widget=GovSubmitInput())
    submit = SubmitField("Submit scores", widget=GovSubmitInput())

    criteria_keys: Sequence[str] = ()
    gap_starts: Sequence[str] = ()

    def score_field(self, key: str) -> Any:
        return self[f"score-{key}"]

    def note_field(self, key: str) -> Any:
        return self[f"note-{key}"]

    def gap_field(self, start: str) -> Any:
        return self[f"gap-{start}"]

    def gap_note_field(self, start: str) -> Any:
        return self[f"gapnote-{start}"]

    def values(self) -> dict[str, str | None]:
        return {k: self.score_field(k).data for k in self.criteria_keys}

    def notes(self) -> dict[str, str]:
        return {k: self.note_field(k).data or "" for k in self.criteria_keys}

    def gap_marks(self) -> dict[str, tuple[str | None, str]]:
        return {g: (self.gap_field(g).data, self.gap_note_field(g).data or "") for g in self.gap_starts}


def make_scoring_form(vacancy: Vacancy, criteria: Sequence[Criterion], gaps: Sequence[Reason]) -> type[ScoringFormBase]:
    """A fresh form class for these criteria and gaps (validation is the service's: a
    draft may leave scores blank, a submission may not)."""
    descriptors = vacancy.descriptors
    choices = [SelectChoice(str(p), f"{p}: {descriptors[p]}" if p in descriptors else str(p))
               for p in vacancy.scale_points]
    attrs: dict[str, Any] = {"criteria_keys": [c.key for c in criteria], "gap_starts": []}
    for c in criteria:
        attrs[f"score-{c.key}"] = RadioField(f"Your score for {c.key}", widget=GovRadioInput(), choices=choices,
                                             validators=[Optional()], validate_choice=False)
        attrs[f"note-{c.key}"] = TextAreaField(f"Your note on {c.key} (optional)", widget=GovTextArea(),
                                               validators=[Optional(), Length(max=5000)])
    marks = [SelectChoice(k, v) for k, v in GAP_MARK_NAMES.items()]
    for gap in gaps:
        start = gap.gap_start or ""
        attrs["gap_starts"].append(start)
        attrs[f"gap-{start}"] = RadioField(f"The gap from {start}", widget=GovRadioInput(), choices=marks,
                                           validators=[Optional()], validate_choice=False)
        attrs[f"gapnote-{start}"] = TextAreaField("What to explore, or why it is explained (optional)",
                                                  widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    return type("ScoringForm", (ScoringFormBase,), attrs)


class ConflictsForm(FlaskForm):
    confirm = BooleanField(
        "I have read every name above and have declared every applicant I know or have any "
        "other connection with", widget=GovCheckboxInput(),
        validators=[InputRequired(message="Confirm you have read every name and declared any conflict")])
    submit = SubmitField("Save declarations", widget=GovSubmitInput())


class AgreedScoreForm(FlaskForm):
    """One candidate's agreed scores: the fields are per criterion (agreed-K, rationale-K,
    version-K) and read by the view; this form carries the CSRF token and the button."""

    submit = SubmitField("Save agreed scores", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    outcome = RadioField("Decision", widget=GovRadioInput(),
                         choices=[SelectChoice(k, v) for k, v in DECISION_LABELS["shortlisting"].items()],
                         validators=[InputRequired(message="Select a decision")])
    reason = TextAreaField("Reason for the decision", widget=GovTextArea(),
                           description="Criterion-referenced: the candidate may ask to see it. It starts as the "
                                       "recommendation’s reasons; if you decide otherwise, write your own.",
                           validators=[InputRequired(message="Give the reason for this decision"),
                                       Length(max=5000, message="The reason must be 5000 characters or fewer")])
    override_code = SelectField(
        "Override reason (HR only)", widget=GovSelect(),
        description="Needed only to override a guaranteed interview.",
        choices=[SelectChoice("", "No override")] + [SelectChoice(k, v) for k, v in OVERRIDE_LABELS.items()],
        validators=[Optional()])
    submit = SubmitField("Confirm decision", widget=GovSubmitInput())


class FinaliseForm(FlaskForm):
    submit = SubmitField("Finalise the shortlist", widget=GovSubmitInput())

"""The safer-recruitment training form: the certificate's date is a GOV.UK date input read by
shortlist.forms.dates; the reason is asked for a correction."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional


class TrainingForm(FlaskForm):
    reason = TextAreaField("If you are correcting a date already recorded, say why", widget=GovTextArea(),
                           description="Recorded in the audit log with the old and new dates",
                           validators=[Optional(), Length(max=2000, message="Give the reason in 2000 characters or fewer")])
    submit = SubmitField("Save the training date", widget=GovSubmitInput())

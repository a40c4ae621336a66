from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import EmailField, SubmitField
from wtforms.validators import InputRequired, Length


class WorkEmailForm(FlaskForm):
    email = EmailField(
        "Your work email address",
        widget=GovTextInput(),
        description="We will send you to your organisation's own sign-in page.",
        validators=[InputRequired(message="Enter your work email address"), Length(max=254)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

"""HR's Integrations page: a new API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from shortlist.services.api_tokens import SCOPES


class TokenForm(FlaskForm):
    name = StringField("Integration name", widget=GovTextInput(),
                       description="What the token is for, as the audit log will name it. For example, Trac "
                                   "nightly export",
                       validators=[InputRequired(message="Enter the integration's name"),
                                   Length(max=100, message="The integration's name must be 100 characters or fewer")])
    organisation = RadioField("Which organisation does it work for?", widget=GovRadioInput(),
                              description="The token reaches this organisation's vacancies only",
                              validators=[InputRequired(message="Select the organisation the integration works for")])
    scopes = SelectMultipleField("What may it do?", widget=GovCheckboxesInput(),
                                 choices=[SelectChoice(k, f"{k}: {v}") for k, v in SCOPES.items()],
                                 validators=[InputRequired(message="Select what the integration may do")])
    create = SubmitField("Create the token", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    revoke = SubmitField("Revoke", widget=GovSubmitInput())


class WebhookForm(FlaskForm):
    url = StringField("URL", widget=GovTextInput(),
                      description="Where Shortlist sends the events: https only (http only to this machine, for "
                                  "testing). Deliveries go to this host and nowhere else; redirects are not followed",
                      validators=[InputRequired(message="Enter the URL"),
                                  Length(max=500, message="The URL must be 500 characters or fewer")])
    organisation = RadioField("Whose events?", widget=GovRadioInput(),
                              validators=[InputRequired(message="Select the organisation whose events are sent")])
    events = SelectMultipleField("Which events?", widget=GovCheckboxesInput(),
                                 validators=[InputRequired(message="Select the events to send")])
    register = SubmitField("Register the webhook", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button (remove, send again): its CSRF token only."""

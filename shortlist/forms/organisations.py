"""A system administrator's form for a new organisation (issue 17)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField


class OrganisationForm(FlaskForm):
    # checked by shortlist.services.organisations.create, which names each problem's field
    name = StringField("Name", widget=GovTextInput(), description="As the employer is known, for example "
                       "Kent County Council")
    code = StringField("Short code", widget=GovTextInput(), description="2 to 20 capital letters, digits or "
                       "hyphens, for example KCC. Campaign files name the organisation by it.")
    email_domains = TextAreaField("E-mail domains", widget=GovTextArea(), description="The domains its staff’s "
                                  "e-mail addresses end with, one a line, for example kent.gov.uk (optional)")
    retention_months = StringField("Default retention period, in months (optional)", widget=GovTextInput(),
                                   description="How long its vacancies keep personal data after the closing "
                                   "date unless HR sets another period; 6 when left empty")
    submit = SubmitField("Create the organisation", widget=GovSubmitInput())

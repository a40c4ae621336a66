from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from shortlist.campaign import EMAIL, REFERENCE
from shortlist.models import Vacancy

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class ImportApplicationsForm(FlaskForm):
    file = FileField(
        "Upload a CSV file or a campaign file",
        widget=GovFileInput(),
        description="A CSV file (.csv), or a campaign file (.yaml) in the format of shortlist load",
        validators=[FileRequired(message="Select a CSV file or a campaign file of applications")],
    )
    submit = SubmitField("Import applications", widget=GovSubmitInput())


class CloseApplicationsForm(FlaskForm):
    reason = TextAreaField(
        "Why are applications closing before the closing date?", widget=GovTextArea(),
        description="Recorded in the audit log, for example the number of applications received",
        validators=[Optional(), Length(max=2000, message="Give the reason in 2000 characters or fewer")],
    )
    submit = SubmitField("Close applications", widget=GovSubmitInput())


def make_application_form(vacancy: Vacancy) -> type[FlaskForm]:
    """A form for one application, with an evidence box per criterion of this vacancy."""

    class ApplicationForm(FlaskForm):
        reference = StringField(
            "Applicant reference",
            widget=GovTextInput(),
            description="Letters, digits and - _ . / only, for example A014",
            validators=[InputRequired(message="Enter the applicant reference"), Length(max=40),
                        Regexp(REFERENCE.pattern, message="Use letters, digits and - _ . / only")],
        )
        name = StringField("Full name", widget=GovTextInput(),
                           validators=[InputRequired(message="Enter the applicant's full name"), Length(max=200)])
        email = StringField("Email address", widget=GovTextInput(),
                            validators=[Optional(), Regexp(EMAIL.pattern, message="Enter an email address like name@example.org"),
                                        Length(max=254)])
        phone = StringField("Phone number", widget=GovTextInput(), validators=[Optional(), Length(max=40)])
        disability_declared = RadioField(
            "Has the applicant declared a disability?", widget=GovRadioInput(),
            choices=YES_NO, default="no",
            validators=[InputRequired(message="Select yes if the applicant declared a disability")],
        )
        offer_interview_opt_in = RadioField(
            "Has the applicant opted in to the offer an interview scheme?", widget=GovRadioInput(),
            choices=YES_NO, default="no",
            validators=[InputRequired(message="Select yes if the applicant opted in to the scheme")],
        )
        unmet_due_to_disability = SelectMultipleField(
            "Criteria the applicant says they cannot meet because of their disability",
            widget=GovCheckboxesInput(),
            choices=[SelectChoice(c.key, f"{c.key}: {c.text}") for c in vacancy.criteria if c.essential],
            validators=[Optional()],
        )
        adjustments = TextAreaField("Adjustments requested for the process", widget=GovTextArea(),
                                    description="What to do, for example extra time; never the condition",
                                    validators=[Optional(), Length(max=5000)])
        submit = SubmitField("Add application", widget=GovSubmitInput())

    for criterion in vacancy.criteria:
        if criterion.shortlisting:
            setattr(ApplicationForm, f"evidence_{criterion.key}", TextAreaField(
                f"{criterion.key}: {criterion.text}", widget=GovTextArea(),
                validators=[Optional(), Length(max=20000)],
            ))
    return ApplicationForm

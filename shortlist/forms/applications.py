from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from shortlist.campaign_format import EMAIL, REFERENCE
from shortlist.models import Vacancy

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
PREFER_NOT = "Prefer not to say"

# The equality monitoring questions as the manual form asks them (the answers HR's forms
# commonly offer, ONS 2021 categories for ethnicity and religion). A CSV may carry others.
EQUALITY_QUESTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age_band": ("Age", ("16-24", "25-34", "35-44", "45-54", "55-64", "65 or over")),
    "sex": ("Sex", ("Female", "Male")),
    "gender_identity_same_as_birth": ("Is their gender identity the same as the sex registered at birth?",
                                      ("Yes", "No")),
    "ethnicity": ("Ethnic group", (
        "White: English, Welsh, Scottish, Northern Irish or British", "White: Irish",
        "White: Gypsy or Irish Traveller", "White: Roma", "White: Any other White background",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
        "Mixed or Multiple ethnic groups: White and Black African", "Mixed or Multiple ethnic groups: White and Asian",
        "Mixed or Multiple ethnic groups: Any other Mixed or Multiple background",
        "Asian or Asian British: Indian", "Asian or Asian British: Pakistani", "Asian or Asian British: Bangladeshi",
        "Asian or Asian British: Chinese", "Asian or Asian British: Any other Asian background",
        "Black, Black British, Caribbean or African: African", "Black, Black British, Caribbean or African: Caribbean",
        "Black, Black British, Caribbean or African: Any other Black, Black British, or Caribbean background",
        "Other ethnic group: Arab", "Other ethnic group: Any other ethnic group")),
    "religion": ("Religion or belief", ("No religion", "Buddhist", "Christian", "Hindu", "Jewish", "Muslim", "Sikh",
                                        "Any other religion")),
    "sexual_orientation": ("Sexual orientation", ("Heterosexual or straight", "Gay or lesbian", "Bisexual",
                                                  "Any other sexual orientation")),
    "disability": ("Do they consider themselves to have a disability?", ("Yes", "No")),
    "caring_responsibilities": ("Caring responsibilities", (
        "None", "Primary carer of a child or children (under 18)", "Carer of a disabled or older adult",
        "Other caring responsibilities")),
}


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
        armed_forces = RadioField(
            "Has the applicant served in the Armed Forces?", widget=GovRadioInput(),
            description="For the Armed Forces Covenant guaranteed interview, where the vacancy runs it",
            choices=[SelectChoice("", "No, or not answered"), SelectChoice("serving", "Yes, and still serving"),
                     SelectChoice("left", "Yes, and has left")], default="", validators=[Optional()])
        armed_forces_last_long_term_employer = RadioField(
            "Were the Armed Forces their last long-term employer?", widget=GovRadioInput(),
            description="Only for someone who has left", choices=YES_NO, default="no", validators=[Optional()])
        unspent_convictions = RadioField(
            "Did the applicant declare any unspent convictions?", widget=GovRadioInput(),
            choices=[SelectChoice("", "Not asked, or not answered"), SelectChoice("no", "No"),
                     SelectChoice("yes", "Yes")], default="", validators=[Optional()])
        conviction_details = TextAreaField(
            "What did they declare?", widget=GovTextArea(),
            description="Only when they declared a conviction. Sealed: HR sees it, and whom HR allows after "
                        "shortlisting",
            validators=[Optional(), Length(max=5000, message="Give the details in 5000 characters or fewer")])
        submit = SubmitField("Add application", widget=GovSubmitInput())

    for key, (question, answers) in EQUALITY_QUESTIONS.items():
        setattr(ApplicationForm, f"equality_{key}", SelectField(
            question, widget=GovSelect(), default="",
            choices=[SelectChoice("", "Not answered"), *(SelectChoice(a, a) for a in answers),
                     SelectChoice(PREFER_NOT, PREFER_NOT)],
            validators=[Optional()]))
    for criterion in vacancy.criteria:
        if criterion.shortlisting:
            setattr(ApplicationForm, f"evidence_{criterion.key}", TextAreaField(
                f"{criterion.key}: {criterion.text}", widget=GovTextArea(),
                validators=[Optional(), Length(max=20000)],
            ))
    return ApplicationForm


class ExportUploadForm(FlaskForm):
    file = FileField(
        "Upload the export",
        widget=GovFileInput(),
        description="A CSV (.csv) or Excel workbook (.xlsx) exported from your applicant tracking system: one row "
                    "per applicant, the first row the column names. At most 10 MB, 5,000 rows and 200 columns",
        validators=[FileRequired(message="Select the export: a CSV or XLSX file")],
    )
    submit = SubmitField("Upload and map the columns", widget=GovSubmitInput())

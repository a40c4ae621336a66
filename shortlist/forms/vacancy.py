"""Forms for setting up a vacancy, step by step."""

from __future__ import annotations

import json
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from shortlist.campaign_format import EMAIL, REFERENCE
from shortlist.models import METHOD_NAMES, METHODS
from shortlist.dates import range_problem
from shortlist.numbers import as_int
from shortlist.services.vacancies import DraftCriterion

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class ThreePartDateField(DateField):
    """A date entered as day, month and year (GovDateInput): the three parts always come back as
    three values, so a request with parts missing is a validation error, never a crash. An
    impossible date is named in GOV.UK style ("Closing date must be a real date"); ``noun``
    names the field where its label is a question."""

    def __init__(self, label: str, *args: Any, noun: str | None = None, **kwargs: Any) -> None:
        super().__init__(label, *args, **kwargs)
        self.noun = noun or label

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            valuelist = (list(valuelist) + ["", "", ""])[:3]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(f"{self.noun} must be a real date") from None
        finally:
            if valuelist is not None and self.raw_data is not None and len(self.raw_data) != 3:
                self.raw_data = (list(self.raw_data) + ["", "", ""])[:3]

    def pre_validate(self, form: Any) -> None:
        problem = range_problem(self.data, str(self.label.text).rstrip("?"))
        if problem:
            raise ValidationError(problem)


class WholeNumberField(IntegerField):
    """A whole number typed into a text input, with a GOV.UK-style message naming the field
    when it is not one ("Number of posts must be a whole number, like 2"), never WTForms'
    "Not a valid integer value"."""

    def __init__(self, label: str, *args: Any, noun: str | None = None, example: int = 2, **kwargs: Any) -> None:
        super().__init__(label, *args, **kwargs)
        self.noun, self.example = noun or label, example

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        self.data = as_int(str(valuelist[0]))
        if self.data is None:
            raise ValueError(f"{self.noun} must be a whole number, like {self.example}")


def completed_field() -> RadioField:
    """The GOV.UK task list's question at the end of each step."""
    return RadioField("Have you completed this section?", widget=GovRadioInput(),
                      choices=[SelectChoice("yes", "Yes, I’ve completed this section"),
                               SelectChoice("no", "No, I’ll come back to it later")],
                      validators=[InputRequired(message="Select whether you have completed this section")])


def yes_no(label: str, message: str, hint: str | None = None) -> RadioField:
    return RadioField(label, widget=GovRadioInput(), choices=YES_NO, description=hint or "",
                      validators=[InputRequired(message=message)])


class DetailsForm(FlaskForm):
    reference = StringField(
        "Vacancy reference", widget=GovTextInput(), description="Unique, for example LBL-FFT-01",
        validators=[InputRequired(message="Enter the vacancy reference"), Length(max=40),
                    Regexp(REFERENCE.pattern, message="Use letters, digits and - _ . / only in the reference")],
    )
    title = StringField("Job title", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the job title"), Length(max=200)])
    # the organisations the person creates vacancies for (choices set by the view), by code
    organisation = SelectField("Organisation", widget=GovSelect(), choices=[],
                               validators=[InputRequired(message="Select the organisation")])
    department = StringField("Department or service", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    grade = StringField("Grade or band", widget=GovTextInput(), description="As advertised, for example P07 or Band 7",
                        validators=[Optional(), Length(max=40)])
    posts = WholeNumberField("Number of posts", widget=GovTextInput(), default=1,
                         validators=[InputRequired(message="Enter the number of posts"),
                                     NumberRange(min=1, max=1000, message="Number of posts must be between 1 and 1000")])
    closing_date = ThreePartDateField("Closing date", widget=GovDateInput(), format="%d %m %Y",
                             description="For example, 15 12 2026",
                             validators=[InputRequired(message="Enter the closing date")])
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class DetailsStepForm(DetailsForm):
    """The details step of an existing vacancy: the same fields, and whether it is completed."""

    completed = completed_field()


class CompletedForm(FlaskForm):
    """Whether a step made of a list (criteria, panel) is completed."""

    completed = completed_field()
    submit = SubmitField("Save and return to the set-up steps", widget=GovSubmitInput())


class ChecksForm(FlaskForm):
    dbs_level = RadioField(
        "What level of DBS check does the role need?", widget=GovRadioInput(),
        choices=[SelectChoice("none", "None"), SelectChoice("basic", "Basic"),
                 SelectChoice("standard", "Standard"), SelectChoice("enhanced", "Enhanced")],
        validators=[InputRequired(message="Select the level of DBS check")],
    )
    barred_lists = SelectMultipleField(
        "Which barred lists must be checked?", widget=GovCheckboxesInput(),
        description="Only for regulated activity, with an enhanced check",
        choices=[SelectChoice("children", "Children’s barred list"), SelectChoice("adults", "Adults’ barred list")],
        validators=[Optional()],
    )
    regulated_activity = yes_no("Is the role regulated activity?", "Select yes if the role is regulated activity")
    safeguarding_role = yes_no("Is this a safeguarding role?", "Select yes if this is a safeguarding role",
                               "A trained panel member and a safeguarding interview question are then required")
    safeguarding_exemption = TextAreaField(
        "If the role is regulated activity, why is it not a safeguarding role?", widget=GovTextArea(),
        description="A role with regulated activity with children or adults is a safeguarding role unless you "
                    "record why not. Recorded in the audit log",
        validators=[Optional(), Length(max=2000, message="Give the reason in 2000 characters or fewer")])
    customer_facing = yes_no("Does the role speak to the public as a regular part of the job?",
                             "Select yes if the role is customer-facing",
                             "The fluency duty of the Immigration Act 2016 Part 7 then applies")
    offer_interview = yes_no("Does the vacancy run the Disability Confident offer an interview scheme?",
                             "Select yes if the vacancy runs the offer an interview scheme")
    declaration_triggers_scheme = yes_no("Does declaring a disability count as opting in to the scheme?",
                                         "Select yes if a declaration counts as opting in")
    waiver_policy = yes_no(
        "Is a disabled applicant who cannot meet a criterion because of their disability, and meets all the others, "
        "shortlisted?", "Select yes if the waiver policy applies",
        "If no, such claims go to HR for an adjustment review; they are never rejected automatically")
    armed_forces_scheme = RadioField(
        "Does the vacancy run the Armed Forces Covenant guaranteed interview?", widget=GovRadioInput(), choices=YES_NO,
        description="Serving and due to leave within 12 weeks, or left within 3 years with the Forces as their last "
                    "long-term employer, and meeting the essential criteria. No other applicant is displaced",
        validators=[Optional()])
    min_scorers = WholeNumberField("How many independent scorers does each criterion need?", widget=GovTextInput(),
                                   noun="The number of scorers",
                               default=2, validators=[InputRequired(message="Enter the number of scorers"),
                                                      NumberRange(min=1, max=10, message="Enter a number from 1 to 10")])
    employment_gap_months = WholeNumberField(
        "Explore employment gaps longer than how many months?", widget=GovTextInput(), default=3,
        noun="The number of months", example=3,
        validators=[InputRequired(message="Enter the number of months"),
                    NumberRange(min=1, max=60, message="Enter a number of months from 1 to 60")])
    # after scoring has started: HR's reason for changing a guaranteed-interview scheme's settings
    # (Disability Confident, Armed Forces Covenant), and their confirmation when the change takes
    # anyone's guaranteed interview away
    change_reason = TextAreaField("Why do the guaranteed interview scheme settings change now?", widget=GovTextArea(),
                                  validators=[Optional(), Length(max=2000)])
    confirm_lost = BooleanField("I confirm the candidates named above lose the guaranteed interview",
                                widget=GovCheckboxInput())
    completed = completed_field()
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class ScaleForm(FlaskForm):
    preset = RadioField(
        "Which scoring scale?", widget=GovRadioInput(),
        choices=[SelectChoice("0-3", "0 to 3: No evidence, Limited evidence, Meets, Exceeds"),
                 SelectChoice("1-5", "1 to 5: No evidence, Weak, Moderate, Strong, Outstanding"),
                 SelectChoice("civil-service-1-7", "Civil Service 1 to 7: Not demonstrated to Outstanding"),
                 SelectChoice("custom", "My own scale")],
        validators=[InputRequired(message="Select a scoring scale")],
    )
    descriptors = TextAreaField(
        "Your scale", widget=GovTextArea(),
        description="One score per line with its descriptor, lowest first, for example 0: No evidence",
        validators=[Optional(), Length(max=5000)])
    met = WholeNumberField("A criterion is met at this score or above", widget=GovTextInput(), noun="The met score",
                       validators=[Optional()])
    divergence_gap = WholeNumberField("Scores that differ by this much or more need moderation", widget=GovTextInput(),
                                      noun="The divergence gap",
                                  validators=[Optional(), NumberRange(min=1, max=100, message="Enter a number from 1")])
    completed = completed_field()
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def parsed_descriptors(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for n, line in enumerate((self.descriptors.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            score, sep, text = line.partition(":")
            try:
                value = int(score.strip())
            except ValueError:
                raise ValidationError(f"Line {n}: start with a whole number and a colon, for example 2: Meets") from None
            if not sep or not text.strip():
                raise ValidationError(f"Line {n}: add a descriptor after the colon")
            if value in out:
                raise ValidationError(f"Line {n}: score {value} is given twice")
            out[value] = text.strip()
        if len(out) < 2:
            raise ValidationError("Give at least two scores, each with a descriptor")
        return out


METHOD_CHOICES = [SelectChoice(m, f"{METHOD_NAMES[m]} ({m})") for m in METHODS]


class CriterionForm(FlaskForm):
    category = StringField("Category", widget=GovTextInput(), description="For example Knowledge or Experience",
                           validators=[InputRequired(message="Enter the category"), Length(max=200)])
    text = TextAreaField("Criterion", widget=GovTextArea(),
                         validators=[InputRequired(message="Enter the criterion"), Length(max=5000)])
    essential = RadioField("Essential or desirable?", widget=GovRadioInput(),
                           choices=[SelectChoice("essential", "Essential"), SelectChoice("desirable", "Desirable")],
                           validators=[InputRequired(message="Select essential or desirable")])
    methods = SelectMultipleField("How is it assessed?", widget=GovCheckboxesInput(), choices=METHOD_CHOICES,
                                  validators=[InputRequired(message="Select at least one way it is assessed")])
    shortlisting = yes_no("Is it used at shortlisting (the S mark)?", "Select yes if it is used at shortlisting")
    non_waivable = BooleanField("It can never be waived (for example a statutory registration)",
                                widget=GovCheckboxInput())
    pre_employment = BooleanField("It is a pre-employment check, never scored (for example a DBS check)",
                                  widget=GovCheckboxInput())
    submit = SubmitField("Save criterion", widget=GovSubmitInput())


class DraftCriterionForm(Form):
    """One proposed criterion on the import's review page, as the manager leaves it. Nothing
    here refuses anything: what stops saving is the service's (vacancies.review_problems),
    shown at each field; the import's doubts and source ride along, bounded."""

    doubts = HiddenField()
    source = HiddenField()
    category = StringField("Category", widget=GovTextInput())
    text = TextAreaField("Criterion", widget=GovTextArea(),
                         description="To split it in two, put a line break where it should split, then choose Split")
    essential = RadioField("Essential or desirable", widget=GovRadioInput(), validate_choice=False,
                           choices=[SelectChoice("essential", "Essential"), SelectChoice("desirable", "Desirable")])
    methods = SelectMultipleField("Assessed by", widget=GovCheckboxesInput(), validate_choice=False,
                                  choices=[SelectChoice(m, m) for m in METHODS])
    shortlisting = RadioField("Used at shortlisting", widget=GovRadioInput(), choices=YES_NO, validate_choice=False)
    non_waivable = BooleanField("It can never be waived (for example a statutory registration)",
                                widget=GovCheckboxInput())
    pre_employment = BooleanField("It is a pre-employment check, never scored (for example a DBS check)",
                                  widget=GovCheckboxInput())

    @staticmethod
    def data_of(row: DraftCriterion) -> dict[str, Any]:
        return {"doubts": json.dumps(row.doubts), "source": row.source, "category": row.category, "text": row.text,
                "essential": "essential" if row.essential else "desirable", "methods": list(row.methods),
                "shortlisting": "yes" if row.shortlisting else "no", "non_waivable": row.non_waivable,
                "pre_employment": row.pre_employment}

    @staticmethod
    def items(field: Any) -> list[dict[str, Any]]:
        """The choices' GOV.UK items, each with an id naming its value (c0-essential-desirable,
        c0-methods-AF), the methods spelt out for those who hover or listen."""
        return [{"id": f"{field.id}-{choice.value}",
                 **({"html": Markup('<abbr title="{}">{}</abbr>').format(METHOD_NAMES[choice.value], choice.value)}
                    if field.short_name == "methods" else {})}
                for choice in field.choices]

    def draft(self) -> DraftCriterion:
        return DraftCriterion(
            doubts=_doubts(self.doubts.data or ""), source=(self.source.data or "")[:400],
            category=(self.category.data or "").strip()[:200], text=(self.text.data or "").strip()[:5000],
            essential=self.essential.data == "essential",
            methods=[m for m in METHODS if m in (self.methods.data or [])],
            shortlisting=self.shortlisting.data == "yes", non_waivable=bool(self.non_waivable.data),
            pre_employment=bool(self.pre_employment.data))


def _doubts(value: str) -> list[dict[str, str]]:
    """The import's doubts about a row, carried through the review's edits (bounded)."""
    try:
        doubts = json.loads(value[:4000]) if value else []
    except ValueError:
        return []
    if not isinstance(doubts, list):
        return []
    return [{"code": str(d.get("code", ""))[:40], "message": str(d.get("message", ""))[:400]}
            for d in doubts[:8] if isinstance(d, dict)]


class CriterionCards(FieldList):
    """The review's list of criteria, its fields named c0-category, c1-text, ... (each card's
    number right after the c, as the page's links and the journeys name them)."""

    def _extract_indices(self, prefix: str, formdata: Any) -> Any:
        for key in formdata:
            if key.startswith(prefix):
                index = key[len(prefix):].split(self._field_separator, 1)[0]
                if index.isdigit():
                    yield int(index)


class ReviewImportForm(FlaskForm):
    """The person-specification import's review step: a card per proposed criterion."""

    c = CriterionCards(FormField(DraftCriterionForm), separator="")

    @classmethod
    def of(cls, rows: list[DraftCriterion], problems: dict[str, str] | None = None) -> ReviewImportForm:
        """The form showing ``rows``, with the service's ``problems`` (field name -> message) at their fields."""
        form = cls(formdata=None, data={"c": [DraftCriterionForm.data_of(row) for row in rows]})
        fields = {f.name: f for entry in form.c for f in entry.form}
        for name, message in (problems or {}).items():
            if name in fields:
                fields[name].errors = [message]
        return form

    def drafts(self, count: int) -> list[DraftCriterion]:
        """The criteria as posted, as many as the draft holds."""
        return [entry.form.draft() for entry in self.c.entries[:count]]


class ImportSpecForm(FlaskForm):
    file = FileField("Upload the person specification", widget=GovFileInput(),
                     description="A Word document (.docx), a PDF or a text file, up to 5 MB")
    text = TextAreaField("Or paste its text", widget=GovTextArea(), validators=[Optional(), Length(max=500_000)])
    submit = SubmitField("Read the person specification", widget=GovSubmitInput())

    def validate_text(self, field: Any) -> None:
        if not (field.data or "").strip() and not (self.file.data and getattr(self.file.data, "filename", "")):
            raise ValidationError("Upload a person specification or paste its text")


class PanelMemberForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the panel member's email address"),
                                    Regexp(EMAIL.pattern, message="Enter an email address like name@example.org"),
                                    Length(max=254)])
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[InputRequired(message="Enter the panel member's name"), Length(max=200)])
    role = RadioField("Role on the panel", widget=GovRadioInput(),
                      choices=[SelectChoice("chair", "Chair"), SelectChoice("member", "Member"),
                               SelectChoice("hr_adviser", "HR adviser")],
                      validators=[InputRequired(message="Select the role on the panel")])
    submit = SubmitField("Add to panel", widget=GovSubmitInput())

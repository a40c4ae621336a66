"""HR forms: a vacancy's data policy, legal holds and access to declarations."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from shortlist.forms.vacancy import WholeNumberField
from shortlist.models.retention import LEGAL_HOLD_KINDS, MAX_RETENTION_MONTHS


class DataPolicyForm(FlaskForm):
    retention_months = WholeNumberField(
        "Keep personal data for how many months after the closing date?", widget=GovTextInput(),
        noun="The number of months", example=6,
        description="6 months is the usual period. Criminal-record declarations are never kept more than "
                    "6 months after the decision.",
        validators=[InputRequired(message="Enter the number of months to keep personal data"),
                    NumberRange(min=1, max=MAX_RETENTION_MONTHS,
                                message=f"The number of months must be between 1 and {MAX_RETENTION_MONTHS}")],
    )
    share_declarations = RadioField(
        "Can HR share candidates’ criminal-record declarations after shortlisting?", widget=GovRadioInput(),
        description="For example, a school asking shortlisted candidates for a self-declaration to discuss at "
                    "interview (KCSIE). Access is given person by person, and every view is recorded.",
        choices=[SelectChoice("yes", "Yes, with people HR chooses"), SelectChoice("no", "No, HR only")],
        validators=[InputRequired(message="Select whether declarations can be shared")],
    )
    save_policy = SubmitField("Save the policy", widget=GovSubmitInput())


class LegalHoldForm(FlaskForm):
    target = SelectField("What must be kept?", widget=GovSelect(),
                         validators=[InputRequired(message="Select what the hold covers")])
    kind = RadioField("Why must it be kept?", widget=GovRadioInput(),
                      choices=[SelectChoice(k, v) for k, v in LEGAL_HOLD_KINDS.items()],
                      validators=[InputRequired(message="Select why the data must be kept")])
    reason = TextAreaField("Details", widget=GovTextArea(),
                           description="For example, the tribunal case number or the date of the request",
                           validators=[InputRequired(message="Enter the details of the hold"), Length(max=2000)])
    place_hold = SubmitField("Place the hold", widget=GovSubmitInput())


class ReleaseHoldForm(FlaskForm):
    release_reason = TextAreaField("Why can the hold end?", widget=GovTextArea(),
                                   validators=[InputRequired(message="Enter why the hold can end"),
                                               Length(max=2000)])
    release = SubmitField("Release the hold", widget=GovSubmitInput())


class GrantForm(FlaskForm):
    # the service checks the person is on the vacancy, with a message that says so
    user_id = SelectField("Who needs to see the declarations?", widget=GovSelect(), coerce=int, validate_choice=False,
                          validators=[InputRequired(message="Select who needs to see the declarations")])
    reason = TextAreaField("Why do they need to see them?", widget=GovTextArea(),
                           validators=[InputRequired(message="Enter why they need to see the declarations"),
                                       Length(max=2000)])
    grant = SubmitField("Give access", widget=GovSubmitInput())


class WithdrawalForm(FlaskForm):
    reason = TextAreaField("Why did the applicant withdraw?", widget=GovTextArea(),
                           description="As they told you. Integrations with the webhook for withdrawals are told",
                           validators=[InputRequired(message="Enter why the applicant withdrew"),
                                       Length(max=2000, message="The reason must be 2000 characters or fewer")])
    record = SubmitField("Record the withdrawal", widget=GovSubmitInput())

"""The sign-in and account forms. Their fields are of three kinds (an email address, a
password, a code from an authenticator app), each written once below with its GOV.UK widget,
its length cap and the message for an empty field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length


def _email(description: str = "") -> EmailField:
    return EmailField("Email address", widget=GovTextInput(), description=description,
                      validators=[InputRequired(message="Enter your email address"), Length(max=254)])


def _password(label: str, missing: str, description: str = "") -> PasswordField:
    return PasswordField(label, widget=GovPasswordInput(), description=description,
                         validators=[InputRequired(message=missing), Length(max=1000)])


def _code(description: str, missing: str = "Enter the code from your authenticator app") -> StringField:
    return StringField("Code from your authenticator app", widget=GovTextInput(), description=description,
                       validators=[InputRequired(message=missing), Length(max=40)])


def _submit(label: str) -> SubmitField:
    return SubmitField(label, widget=GovSubmitInput())


class LoginForm(FlaskForm):
    email = _email()
    password = _password("Password", "Enter your password")
    submit = _submit("Sign in")


class LogoutForm(FlaskForm):
    pass


class SetPasswordForm(FlaskForm):
    password = _password("New password", "Enter a new password",
                         "At least 12 characters. A few words you will remember is a good password.")
    confirm = _password("Enter the new password again", "Enter the new password again")
    submit = _submit("Set password")


class ForgotPasswordForm(FlaskForm):
    email = _email("The address you sign in with. We will e-mail you a link to choose a new password.")
    submit = _submit("Send me a link")


class CodeForm(FlaskForm):
    code = _code("The 6-digit code your app shows for Shortlist now. If you have lost your app, enter one of "
                 "your recovery codes instead.")
    submit = _submit("Continue")


class EnrolCodeForm(FlaskForm):
    code = _code("The 6-digit code your app shows for Shortlist after you have added it.",
                 "Enter the 6-digit code from your authenticator app")
    submit = _submit("Turn on two-factor sign-in")


class RenewRecoveryCodesForm(FlaskForm):
    code = _code("The 6-digit code your app shows for Shortlist now (not a recovery code).",
                 "Enter the 6-digit code from your authenticator app")
    submit = _submit("Get new recovery codes")


class TurnOffTwoFactorForm(FlaskForm):
    password = _password("Your password", "Enter your password")
    submit = _submit("Turn off two-factor sign-in")

"""Forms of the back office. Every one derives from FlaskForm, so each carries and
checks the CSRF token (the global CSRFProtect checks every POST as well)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length


class AdminForm(FlaskForm):
    """Flask-Admin's `form_base_class`: Flask-WTF's CSRF plus the `_obj` Flask-Admin's
    validators (Unique) read."""

    def __init__(self, *args, obj=None, **kwargs):
        self._obj = obj
        super().__init__(*args, obj=obj, **kwargs)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """A bare POST (logout, pause, redeliver, rotate, test send): only the CSRF token."""


class ReturnForm(FlaskForm):
    reason = TextAreaField("Reason given by the school", validators=[DataRequired(), Length(max=500)])


class EraseForm(FlaskForm):
    reason = StringField("Request (reference or reason)", validators=[DataRequired(), Length(max=200)])
    confirm = BooleanField("I understand the person's details will be erased for good", validators=[DataRequired()])

"""The request-information form. Field rules live in leads/validation.py; this class
wires them to WTForms so errors show inline with the reader's values kept."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from leads import validation
from leads.vocabularies import EDUCATION_LEVELS, MILITARY_AFFILIATIONS, START_TIMEFRAMES

MAX_SCHOOLS = 5


def _choices(vocabulary: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", "Choose…")] + [SelectChoice(value, label) for value, label in vocabulary]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        # Which ids are acceptable is decided against the database in validate_program_ids.
        pass


class VocabularyField(SelectField):
    def pre_validate(self, form) -> None:
        # The field's validate_ method checks the value and says so in the reader's words.
        pass


def _apply(rule, *args):
    try:
        return rule(*args)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class RequestInfoForm(FlaskForm):
    first_name = StringField("First name", render_kw={"autocomplete": "given-name", "maxlength": 50})
    last_name = StringField("Last name", render_kw={"autocomplete": "family-name", "maxlength": 50})
    email = StringField("E-mail", render_kw={"autocomplete": "email", "type": "email", "maxlength": 254})
    phone = StringField("Phone", render_kw={"autocomplete": "tel", "type": "tel", "maxlength": 30})
    zip_code = StringField("ZIP code", render_kw={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": 10})
    education_level = VocabularyField("Highest education completed", choices=_choices(EDUCATION_LEVELS))
    graduation_year = StringField("High school graduation year", render_kw={"inputmode": "numeric", "maxlength": 4})
    start_timeframe = VocabularyField("When would you like to start? (optional)", choices=_choices(START_TIMEFRAMES))
    military_affiliation = VocabularyField("Military affiliation (optional)", choices=_choices(MILITARY_AFFILIATIONS))
    program_ids = MultiCheckboxField("Schools to contact", coerce=str)
    consent = BooleanField("I agree")

    # Not for people: a field hidden from them (bots fill it), the signed time the form was
    # served, the sponsored placement the reader came through, and where they came from.
    website = StringField("Leave this field empty", render_kw={"autocomplete": "off", "tabindex": "-1"})
    started = HiddenField()
    placement = HiddenField()
    referrer = HiddenField()
    utm_source = HiddenField()
    utm_medium = HiddenField()
    utm_campaign = HiddenField()
    utm_term = HiddenField()
    utm_content = HiddenField()

    # Validators fill `clean` with the normalised values the service stores.
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clean: dict = {}

    def validate_first_name(self, field) -> None:
        self.clean["first_name"] = _apply(validation.clean_name, field.data, "first name")

    def validate_last_name(self, field) -> None:
        self.clean["last_name"] = _apply(validation.clean_name, field.data, "last name")

    def validate_email(self, field) -> None:
        self.clean["email"] = _apply(validation.clean_email, field.data)

    def validate_phone(self, field) -> None:
        self.clean["phone"] = _apply(validation.clean_phone, field.data)

    def validate_zip_code(self, field) -> None:
        self.clean["zip_code"] = _apply(validation.clean_zip, field.data)

    def validate_education_level(self, field) -> None:
        self.clean["education_level"] = _apply(
            validation.clean_choice, field.data, EDUCATION_LEVELS, "highest education completed"
        )

    def validate_graduation_year(self, field) -> None:
        self.clean["graduation_year"] = _apply(validation.clean_graduation_year, field.data)

    def validate_start_timeframe(self, field) -> None:
        self.clean["start_timeframe"] = _apply(
            validation.clean_choice, field.data, START_TIMEFRAMES, "start time", False
        )

    def validate_military_affiliation(self, field) -> None:
        self.clean["military_affiliation"] = _apply(
            validation.clean_choice, field.data, MILITARY_AFFILIATIONS, "military affiliation", False
        )

    def validate_program_ids(self, field) -> None:
        from leads.matching import active_programs

        raw = [value for value in (field.data or []) if value]
        if not raw:
            raise ValidationError("Tick at least one school to contact.")
        if not all(value.isdigit() and len(value) < 10 for value in raw):
            raise ValidationError("Choose schools from the list.")
        ids = list(dict.fromkeys(int(value) for value in raw))
        if len(ids) > MAX_SCHOOLS:
            raise ValidationError(f"Choose at most {MAX_SCHOOLS} schools.")
        programs = active_programs(ids)
        if len(programs) != len(ids):
            raise ValidationError("One of the programs you chose is no longer open for inquiries. Please choose again.")
        self.clean["programs"] = programs

    def validate_consent(self, field) -> None:
        if field.data is not True:
            raise ValidationError("Tick the box to agree that the schools may contact you, or we cannot send your request.")

    def is_bot_trap_sprung(self) -> bool:
        from leads.fill_time import filled_too_fast

        return bool((self.website.data or "").strip()) or filled_too_fast(self.started.data)

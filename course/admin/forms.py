"""Forms of the admin pages."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..forms import ROLE_LABELS, display_name_field, email_field, new_password_field


def role_field(label: str = "Role") -> SelectField:
    choices = [SelectChoice(role.value, name) for role, name in ROLE_LABELS.items()]
    return SelectField(label, choices=choices)


class NewAccountForm(FlaskForm):
    display_name = display_name_field("Their name", "Members see it, for example “Dana”.")
    email = email_field()
    role = role_field()
    password = new_password_field("A first password")


class RoleForm(FlaskForm):
    role = role_field("New role")

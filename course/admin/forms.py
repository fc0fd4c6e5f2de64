"""Forms of the admin pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..forms import ROLE_LABELS, display_name_field, email_field, new_password_field


def role_field(label: str | None = None) -> SelectField:
    choices = [SelectChoice(role.value, name) for role, name in ROLE_LABELS.items()]
    return SelectField(label or _l("Role"), choices=choices)


class NewAccountForm(FlaskForm):
    display_name = display_name_field(_l("Their name"), _l("Members see it, for example “Dana”."))
    email = email_field()
    role = role_field()
    password = new_password_field(_l("A first password"))


class RoleForm(FlaskForm):
    role = role_field(_l("New role"))

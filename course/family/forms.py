"""Forms of the family page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import PlainText, strip


class EncouragementForm(FlaskForm):
    body = TextAreaField(
        _l("Leave a few kind words"),
        validators=[
            DataRequired(_l("Write a few words first.")),
            PlainText(multiline=True),
            Length(max=280, message=_l("Please keep it under 280 characters.")),
        ],
        filters=[strip],
        render_kw={"rows": 2, "maxlength": 280},
    )

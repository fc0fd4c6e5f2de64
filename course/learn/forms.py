"""Forms for reading modules and taking quizzes. Their fields come from the module's content,
so the views read them from the request; these classes bring CSRF protection."""

from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..forms import without_control_characters


def plain_key(value):
    """The key without control characters: no page of ours puts any there, and PostgreSQL
    can't store a NUL."""
    return without_control_characters(value) if isinstance(value, str) else value


class QuizForm(FlaskForm):
    # A fresh key each time the quiz is shown: sending the same page twice stores one attempt.
    submission_key = HiddenField(filters=[plain_key])

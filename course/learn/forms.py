"""Forms for reading modules and taking quizzes. Their fields come from the module's content,
so the views read them from the request; these classes bring CSRF protection."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class QuizForm(FlaskForm):
    # A fresh key each time the quiz is shown: sending the same page twice stores one attempt.
    submission_key = HiddenField()

"""The form of the plan page: who else may read the plan."""

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from ..forms import VISIBILITY_LABELS
from ..models import Visibility


class PlanReadersForm(FlaskForm):
    """Who may read the member's plan besides them; `plan_readers_form` offers the choices."""

    visibility = RadioField(
        _l("Who can read my plan?"),
        description=_l("Sharing your plan shows them everything on this page, even answers you "
                       "kept to yourself in a module. You can change this at any time."),
        invalid_choice_message=_l("Choose who can read your plan."),
    )

    def chosen(self) -> Visibility:
        """The readers chosen."""
        return Visibility(self.visibility.data)


def plan_readers_form(
    choices: Sequence[Visibility], saved: Visibility | None = None
) -> PlanReadersForm:
    """The form, offering `choices` (the facilitator only to a member of a group), filled with
    what the member chose before when `saved` is given (None: from what was sent)."""
    form = PlanReadersForm(data=None if saved is None else {"visibility": saved.value})
    form.visibility.choices = [SelectChoice(v.value, VISIBILITY_LABELS[v]) for v in choices]
    return form

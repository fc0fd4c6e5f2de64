"""Error pages a person can read, with the way back."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    403: ("You can't open this page", "Your account does not have access to it."),
    404: ("We can't find that page", "It may have moved, or the link may be mistyped."),
    405: ("That didn't work", "Please go back and try again."),
    429: ("Too many tries", "For your safety, please wait a few minutes and try again."),
    500: ("Something went wrong on our side", "Please try again in a moment. Nothing you "
          "wrote has been lost if you saved it."),
}


def register_error_handlers(app: Flask) -> None:
    """Render every HTTP error with the site's layout."""

    def render(code: int, title: str, detail: str):
        return render_template("errors/error.html", code=code, title=title, detail=detail), code

    for code, (title, detail) in MESSAGES.items():
        app.register_error_handler(
            code, lambda _error, code=code, title=title, detail=detail: render(code, title, detail)
        )

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render(
            400, "This form has expired",
            "For your safety, forms expire after a while. Please go back, reload the page and "
            "send it again.",
        )

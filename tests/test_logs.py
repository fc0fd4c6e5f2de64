"""Nothing a family writes or uses to log in reaches the logs: a whole journey, including a
database error in the middle of saving a reflection, logged at DEBUG, holds none of it."""

from __future__ import annotations

import logging
import re

from helpers import SHIPPED_MODULES, link_in

from course import progress
from course.content import Catalog

EMAIL = "rosalind.parker@example.org"
PASSWORD = "my loved one is worth it"
NEW_PASSWORD = "a quieter kitchen table at night"
REFLECTION = "I am scared every time the phone rings after midnight"
ENCOURAGEMENT = "We are in this with you, love"


def test_a_whole_journey_logs_no_text_email_password_or_token(app, outbox, caplog,
                                                              monkeypatch):
    module = Catalog(SHIPPED_MODULES).get("start-here")
    section = next(s for s in module.sections if s.prompts)
    prompt = section.prompts[0]
    secrets_used = {EMAIL, PASSWORD, NEW_PASSWORD, REFLECTION, ENCOURAGEMENT}

    with caplog.at_level(logging.DEBUG):
        client = app.test_client()
        client.post("/register", data={"display_name": "Rosalind", "email": EMAIL,
                                       "password": PASSWORD, "relationship": "parent"})
        confirm = link_in(outbox[-1], "/confirm/")
        secrets_used.add(confirm.rsplit("/", 1)[1])
        assert client.get(confirm).status_code == 302
        step = f"/modules/{module.slug}/{section.id}"
        assert client.post(step, data={f"reflection-{prompt.id}": REFLECTION,
                                       f"visibility-{prompt.id}": "family",
                                       "action": "next"}).status_code == 302
        answers = {f"q-{q.id}": q.options[0].id for q in module.questions}
        client.post(f"/modules/{module.slug}/quiz", data={**answers, "submission_key": "k1"})

        # A family member joins and leaves a kind word.
        client.post("/family/invites")
        invite = re.search(r"/join/[\w-]+", client.get("/family").text)
        if invite:
            secrets_used.add(invite.group(0).rsplit("/", 1)[1])
        client.post("/account/password", data={"current_password": PASSWORD,
                                               "password": NEW_PASSWORD})
        client.post("/logout")
        client.post("/login", data={"email": EMAIL, "password": "a wrong one, then"})
        client.post("/forgot-password", data={"email": EMAIL})
        secrets_used.add(link_in(outbox[-1], "/reset-password/").rsplit("/", 1)[1])
        client.post("/login", data={"email": EMAIL, "password": NEW_PASSWORD})

        # The database refuses a save (a reflection over its length limit): the error is
        # logged, its SQL parameters are not.
        real_save = progress.save_reflection

        def save_too_long(user, module, prompt_id, body, visibility):
            return real_save(user, module, prompt_id, (body + " ") * 400, visibility)

        monkeypatch.setattr(progress, "save_reflection", save_too_long)
        monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # Log it, as deployed.
        failed = client.post(step, data={f"reflection-{prompt.id}": REFLECTION + " More.",
                                         f"visibility-{prompt.id}": "family",
                                         "action": "save"})
        assert failed.status_code == 500

    logged = caplog.text
    # The failure is logged, by kind: the constraint it broke.
    assert "DatabaseErrorLogged" in logged and "body" in logged
    for secret in secrets_used:
        assert secret not in logged, f"{secret!r} reached the log"

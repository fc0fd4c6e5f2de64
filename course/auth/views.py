"""Views for signing up, joining, logging in and out, and passwords."""


from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, refresh
from flask_login import current_user, login_required

from .. import account_mail, accounts, demo, i18n, invitations, sessions, signup, throttle, tokens
from ..accounts import Profile
from ..extensions import db
from ..links import safe_next
from ..models import Relationship, Role, User, utcnow
from . import bp
from .forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    JoinFamilyForm,
    LoginForm,
    ResetPasswordForm,
    SignUpForm,
)

# Where each role's work starts; members (and anyone else) start at My course.
LANDING = {
    Role.FACILITATOR: "facilitate.index",
    Role.AUTHOR: "author.index",
    Role.ADMIN: "admin.users",
}


def landing_for(user: User) -> str:
    """The page someone starts on after logging in, when they asked for no other."""
    return url_for(LANDING.get(user.role, "learn.index"))


# The address the check-your-email page names: the one typed into this browser, kept in its
# session (signed, not secret: it holds nothing the person didn't type themselves).
CHECK_EMAIL = "check_email"


def awaiting_email(email: str):
    """Remember the address for the check-your-email page, and send the person there."""
    session[CHECK_EMAIL] = email.strip()
    return redirect(url_for("auth.check_email"))


def profile_from(form) -> Profile:
    family_name = form.family_name.data if getattr(form, "family_name", None) else None
    return Profile(
        email=form.email.data.strip(),
        password=form.password.data,
        display_name=form.display_name.data,
        relationship=Relationship(form.relationship.data),
        loved_one_nickname=form.loved_one_nickname.data,
        family_name=family_name,
        locale=i18n.supported(form.language.data),
    )


def keep_language(form) -> None:
    """The language chosen on a sign-up form is this visitor's from now on: the pages that
    follow (check your email) are in it, as the account will be."""
    chosen = i18n.supported(form.language.data)
    if chosen:
        # Kept even when it is the page's: a group's language lasts only on its invite page.
        session[i18n.SESSION_KEY] = chosen
        if chosen != i18n.current_language():
            refresh()


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Start a new, self-paced family (when the site allows open sign-up)."""
    if not current_app.config["COURSE_OPEN_REGISTRATION"]:
        return render_template("auth/invite_only.html"), 403
    if current_user.is_authenticated:
        return redirect(url_for("learn.index"))
    form = SignUpForm(language=i18n.current_language())
    if form.validate_on_submit():
        if not throttle.count_mail_request("sign-up", form.email.data, request.remote_addr or ""):
            abort(429)
        keep_language(form)
        signup.sign_up(profile_from(form))
        db.session.commit()
        return awaiting_email(form.email.data)
    return render_template("auth/register.html", form=form), (422 if form.errors else 200)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """Sign up through an invite: into a family, or as a new family in a cohort."""
    invite = invitations.find_invite(token)
    if invite is None:
        return render_template("auth/invite_invalid.html"), 404
    # The group's language, for whoever hasn't chosen one (course/i18n.py).
    cohort = invite.cohort or (invite.family.cohort if invite.family else None)
    if cohort is not None and cohort.default_locale:
        g.group_locale = cohort.default_locale
        refresh()
    if current_user.is_authenticated:
        return render_template("auth/join_signed_in.html", invite=invite)
    form_class = JoinFamilyForm if invite.family else SignUpForm
    form = form_class(language=i18n.current_language())
    if form.validate_on_submit():
        if not throttle.count_mail_request("sign-up", form.email.data, request.remote_addr or ""):
            abort(429)
        keep_language(form)
        if not signup.sign_up(profile_from(form), invite=invite):
            db.session.rollback()
            return render_template("auth/invite_invalid.html"), 404
        db.session.commit()
        return awaiting_email(form.email.data)
    return render_template("auth/join.html", form=form, invite=invite), (
        422 if form.errors else 200
    )


@bp.get("/check-email")
def check_email():
    """Where sign-up leads, whether or not the address had an account: it names the address
    typed, and offers to send the email again."""
    return render_template("auth/check_email.html", email=session.get(CHECK_EMAIL))


@bp.post("/check-email/resend")
def resend_email():
    """Send the sign-up email again, to the address this browser signed up with: the same
    mail sign-up sent (a confirmation link, or the owner's "you already have an account"),
    counted with sign-ups against the mail limit, and the same answer whichever it was."""
    email = session.get(CHECK_EMAIL)
    if not email:
        return redirect(url_for("auth.check_email"))
    if not throttle.count_mail_request("sign-up", email, request.remote_addr or ""):
        return render_template("auth/check_email.html", email=email, held=True), 429
    signup.send_again(email)
    flash(_("We've sent it again to %(email)s.", email=email), "success")
    return redirect(url_for("auth.check_email"))


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    """Confirm the address from the emailed link, and log the member in (the first time only)."""
    user, confirmed_now = tokens.confirm_email(token)
    if user is None:
        return render_template("auth/confirm_invalid.html"), 404
    if not confirmed_now:
        flash(_("Your email is already confirmed. Please log in."), "info")
        return redirect(url_for("auth.login"))
    sessions.log_in(user)
    db.session.commit()
    session.pop(CHECK_EMAIL, None)
    refresh()  # Logged in now: their own language.
    flash(_("Welcome, %(name)s. Your email is confirmed.", name=user.display_name), "success")
    return redirect(url_for("learn.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with email and password; tries are limited (see course/throttle.py)."""
    target = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(target or landing_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        counted = throttle.count_login_try(form.email.data, request.remote_addr or "")
        if not counted.allowed:
            return render_template("auth/login.html", form=form, next=target, held=True), 429
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_(
                "The demo accounts were switched off when the first real person signed up, "
                "as their password is public. To run your groups, make your own account with: "
                "flask users create"
            ) if demo.is_retired_demo_address(form.email.data) else _(
                "That email and password don't match an account. Check them and try again."
            ))
            return render_template("auth/login.html", form=form, next=target), 401
        throttle.give_back(counted)
        if user.email_confirmed_at is None:
            account_mail.send_confirmation(user)
            session[CHECK_EMAIL] = user.email
            return render_template("auth/check_email.html", unconfirmed=True, email=user.email)
        sessions.log_in(user, remember=form.remember.data)
        db.session.commit()
        session.pop(CHECK_EMAIL, None)
        return redirect(target or landing_for(user))
    return render_template("auth/login.html", form=form, next=target)


@bp.post("/logout")
def logout():
    """Log out (a form button, so no other site can log you out with a link)."""
    # The pages after it stay in their language, as the language switch keeps a visitor's.
    session[i18n.SESSION_KEY] = i18n.current_language()
    sessions.log_out()
    db.session.commit()
    flash(_("You are logged out. Thank you for looking after yourself and your family."), "info")
    return redirect(url_for("learn.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if not throttle.count_mail_request("reset", form.email.data, request.remote_addr or ""):
            abort(429)
        account_mail.send_password_reset(form.email.data)
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an emailed, single-use link."""
    user = tokens.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    form.owner = user  # So the new password is checked against their name and email.
    if form.validate_on_submit():
        user.set_password(form.password.data)
        throttle.forget_account(user.email)
        # Opening the emailed link proves the address, too.
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        # Whoever else was logged in as them is not any more: that may be why they reset it.
        sessions.end_all_logins(user)
        sessions.log_in(user)
        db.session.commit()
        refresh()  # Logged in now: their own language.
        flash(_("Your new password is saved."), "success")
        return redirect(landing_for(user))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password, knowing the current one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        counted = throttle.count_password_check(current_user.id)
        if not counted.allowed:
            abort(429)
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        else:
            throttle.give_back(counted)
            current_user.set_password(form.password.data)
            sessions.end_other_logins(current_user)
            db.session.commit()
            flash(_("Your password is changed. Every other device is logged out."), "success")
            return redirect(url_for("account.settings"))
    return render_template("auth/change_password.html", form=form)


"""Accounts: one sign-up for every role, finished from an emailed link, a person's settings,
and their API tokens.

A sign-up, and a new address in settings, are answered the same way whether the username
or the address is taken or free: what differs goes in an email to the address, which only
its holder reads. So the pages never tell anyone which names and addresses have accounts.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from smtplib import SMTPException
from typing import Any, Final
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import email_links
from accounts.email_links import LinkProblem, LinkRefused
from accounts.models import (
    ApiToken,
    Profile,
    api_token_secret_hash,
    birth_date_problem,
    patient_zone,
    validate_time_zone,
)
from accounts.selectors import account_with_email, sign_ups_unfinished
from accounts.signals import sign_up_started
from reference.helplines import country_for_time_zone

logger = logging.getLogger(__name__)


@transaction.atomic
def user_sign_up(
    *,
    role: Profile.Role,
    username: str,
    email: str,
    password: str,
    time_zone: str,
    country: str = "",
    display_name: str = "",
) -> User:
    """Create an account with its role. The form has checked the password; the profile is
    checked here.

    Without a country, the one their time zone lies in picks their help numbers. A provider
    is reached only through their emailed invitation links (an address typed at sign-up is
    not proof of holding it), and a caregiver only through the patient's invitation.
    """
    profile = _profile_checked(
        role=role, time_zone=time_zone, country=country, display_name=display_name
    )
    user = User.objects.create_user(username=username, email=email, password=password)
    profile.user = user
    profile.save()
    return user


def _profile_checked(
    *, role: Profile.Role, time_zone: str, country: str, display_name: str
) -> Profile:
    """The profile a sign-up asks for, not saved; ValidationError if it is not valid."""
    validate_time_zone(time_zone)
    profile = Profile(
        role=role,
        time_zone=time_zone,
        country=country or country_for_time_zone(time_zone),
        display_name=display_name,
    )
    profile.full_clean(exclude=["user"])
    return profile


# Emails


@dataclass(frozen=True)
class Email:
    """One email from `templates/registration/emails/<name>.txt` and `<name>_subject.txt`."""

    name: str
    to: str
    context: dict[str, Any] = field(default_factory=dict)

    def send(self) -> None:
        """Send it now. A mail server that is down is logged; the asker's page stays the
        same, since it must not differ from one case to another."""
        context = {
            "site_url": settings.SITE_URL,
            "days": settings.ACCOUNT_ACTIVATION_DAYS,
            **self.context,
        }
        subject = render_to_string(f"registration/emails/{self.name}_subject.txt", context)
        body = render_to_string(f"registration/emails/{self.name}.txt", context)
        try:
            send_mail(
                subject=" ".join(subject.split()),
                message=body,
                from_email=None,
                recipient_list=[self.to],
            )
        except (OSError, SMTPException):
            logger.exception("Could not send the %s email", self.name)


def _site_url(path: str, **query: str) -> str:
    asked = {name: value for name, value in query.items() if value}
    return f"{settings.SITE_URL}{path}" + (f"?{urlencode(asked)}" if asked else "")


# Signing up


def sign_up_request(
    *,
    role: Profile.Role,
    username: str,
    email: str,
    password: str,
    time_zone: str,
    country: str = "",
    display_name: str = "",
    sign_up_path: str,
    next_path: str = "",
    checkin_reminders: bool = False,
) -> None:
    """Start a sign-up; the email to `email` says how it went. Nothing is returned, so the
    page that answers cannot differ between a free and a taken name or address.

    - Username and address free: an inactive account is made, and the email carries a link
      that finishes it (`sign_up_finish`) within ACCOUNT_ACTIVATION_DAYS. A sign-up not yet
      finished with the same address is replaced: the newest one counts.
    - The address already has an account: nothing is made; the email names the account
      and links to logging in and resetting the password.
    - The username is taken: nothing is made; the email links back to `sign_up_path` to
      choose another.

    `next_path` is where the finished account goes (an invitation); ValidationError when the
    profile asked for is not valid (the form has checked the password).
    """
    profile = _profile_checked(
        role=role, time_zone=time_zone, country=country, display_name=display_name
    )
    email = User.objects.normalize_email(email)
    # Hashed whatever happens next, so that the answer takes as long either way.
    password_hash = make_password(password)
    with transaction.atomic():
        mail = _sign_up_start(
            profile=profile,
            username=username,
            email=email,
            password_hash=password_hash,
            sign_up_path=sign_up_path,
            next_path=email_links.local_path(next_path),
            checkin_reminders=checkin_reminders,
        )
    mail.send()


def _sign_up_start(
    *,
    profile: Profile,
    username: str,
    email: str,
    password_hash: str,
    sign_up_path: str,
    next_path: str,
    checkin_reminders: bool = False,
) -> Email:
    owner = account_with_email(email)
    if owner is not None:
        return Email(
            "sign_up_email_taken",
            to=email,
            context={
                "username": owner.get_username(),
                "login_url": _site_url(reverse("login"), next=next_path),
                "password_reset_url": _site_url(reverse("password_reset")),
            },
        )
    earlier = sign_ups_unfinished().filter(email__iexact=email)
    username_taken_url = _site_url(
        email_links.local_path(sign_up_path) or reverse("accounts:signup")
    )
    username_taken = Email(
        "sign_up_username_taken",
        to=email,
        context={"username": username, "sign_up_url": username_taken_url},
    )
    if User.objects.filter(username__iexact=username).exclude(pk__in=earlier).exists():
        return username_taken
    earlier.delete()
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=username, email=email, password=password_hash, is_active=False
            )
    except IntegrityError:
        # Another sign-up took the name between the check and the insert.
        return username_taken
    profile.user = user
    profile.save()
    sign_up_started.send(sender=User, user=user, checkin_reminders=checkin_reminders)
    link = reverse(
        "accounts:signup-finish", args=[email_links.sign_up_token(user, next_path=next_path)]
    )
    return Email(
        "sign_up_finish",
        to=email,
        context={
            "username": username,
            "role": profile.role,
            "link": _site_url(link),
        },
    )


def sign_up_waiting(*, token: str) -> User:
    """The account a sign-up link would finish; LinkRefused if it would not."""
    claim = email_links.sign_up_claim(token)
    user = User.objects.select_related("profile").filter(pk=claim.user_id).first()
    if user is None or not claim.holds_for(user):
        raise LinkRefused(LinkProblem.USED)
    return user


@dataclass(frozen=True)
class FinishedSignUp:
    user: User
    next_path: str


@transaction.atomic
def sign_up_finish(*, token: str) -> FinishedSignUp:
    """Activate the account a sign-up link was sent for; the caller logs it in, which uses
    the link up. LinkRefused when the link expired, was used, or was replaced."""
    claim = email_links.sign_up_claim(token)
    user = User.objects.select_for_update().filter(pk=claim.user_id).first()
    if user is None or not claim.holds_for(user):
        raise LinkRefused(LinkProblem.USED)
    if account_with_email(user.email, except_user=user) is not None:
        # The address went to another account meanwhile (a change confirmed in settings).
        raise LinkRefused(LinkProblem.USED)
    user.is_active = True
    user.save(update_fields=["is_active"])
    return FinishedSignUp(
        user=User.objects.select_related("profile").get(pk=user.pk), next_path=claim.next_path
    )


def sign_ups_unfinished_delete(*, now: datetime | None = None) -> int:
    """Delete the sign-ups whose link has expired, freeing their usernames; how many."""
    made_before = (now or timezone.now()) - email_links.link_lifetime()
    _, deleted = sign_ups_unfinished().filter(date_joined__lt=made_before).delete()
    return deleted.get(User._meta.label, 0)


# A person's settings


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged()


@transaction.atomic
def profile_update(
    *,
    user: User,
    time_zone: str,
    country: str | None = None,
    display_name: str | None = None,
    date_of_birth: date | _Unchanged | None = UNCHANGED,
    temperature_unit: str | None = None,
) -> Profile:
    """Change a patient's settings; `country` "" is the country of their time zone, and
    None (for either, and for `temperature_unit`) keeps what they had; `date_of_birth` None
    removes it, UNCHANGED keeps it. A new email goes through `email_change_request`."""
    profile = Profile.objects.get(user=user)
    profile.time_zone = time_zone
    if country is not None:
        profile.country = country or country_for_time_zone(time_zone)
    if display_name is not None:
        profile.display_name = display_name.strip()
    if not isinstance(date_of_birth, _Unchanged):
        today = timezone.now().astimezone(patient_zone(user)).date()
        problem = date_of_birth and birth_date_problem(date_of_birth, today=today)
        if problem:
            raise ValidationError({"date_of_birth": problem})
        profile.date_of_birth = date_of_birth
    if temperature_unit is not None:
        profile.temperature_unit = temperature_unit
    profile.full_clean()
    fields = ["time_zone", "country", "display_name", "date_of_birth", "temperature_unit"]
    profile.save(update_fields=fields)
    return profile


def email_change_request(*, user: User, email: str) -> None:
    """Ask the new address to confirm itself; the account's email changes only when its
    link is followed (`email_change_confirm`). If another account holds the address, the
    email to it says so, and nothing changes. Nothing is returned: the page that answers
    is the same either way."""
    email = User.objects.normalize_email(email)
    if email == user.email:
        return
    owner = account_with_email(email, except_user=user)
    if owner is not None:
        mail = Email("email_change_taken", to=email, context={"username": owner.get_username()})
    else:
        token = email_links.email_change_token(user, email=email)
        mail = Email(
            "email_change_confirm",
            to=email,
            context={
                "username": user.get_username(),
                "link": _site_url(reverse("accounts:email-confirm", args=[token])),
            },
        )
    mail.send()


@transaction.atomic
def email_change_confirm(*, user: User, token: str) -> str:
    """Give `user` the address their link was sent to; the address. LinkRefused when the link
    is not theirs, expired, was used, or another account took the address meanwhile."""
    user = User.objects.select_for_update().get(pk=user.pk)
    email = email_links.email_change_read(token, user=user)
    if account_with_email(email, except_user=user) is not None:
        raise LinkRefused(LinkProblem.USED)
    # A sign-up with this address not yet finished: its holder has just chosen this account.
    sign_ups_unfinished().filter(email__iexact=email).delete()
    user.email = email
    user.save(update_fields=["email"])
    return email


# API tokens


UNNAMED_APP = "API token"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # `<key_id>.<secret>`: given to the app this once, never stored


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> IssuedToken:
    """A new token for `user`'s app, named so they can tell their tokens apart.

    Their ended tokens go; beyond `API_TOKENS_PER_PERSON`, so does the one used longest ago.
    """
    now = timezone.now()
    stamp = user.get_session_auth_hash()
    mine = ApiToken.objects.filter(user=user)
    mine.filter(
        Q(last_used_at__lte=now - timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS))
        | Q(created_at__lte=now - timedelta(seconds=settings.API_TOKEN_MAX_LIFETIME))
        | ~Q(password_stamp=stamp)
    ).delete()
    keep = settings.API_TOKENS_PER_PERSON - 1
    oldest = mine.order_by("-last_used_at", "-pk").values_list("pk", flat=True)[keep:]
    ApiToken.objects.filter(pk__in=list(oldest)).delete()
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or UNNAMED_APP,
        key_id=key_id,
        secret_hash=api_token_secret_hash(secret),
        password_stamp=stamp,
        created_at=now,
        last_used_at=now,
    )
    return IssuedToken(token=token, key=f"{key_id}.{secret}")


def api_token_end(*, token: ApiToken) -> None:
    """Sign one app out: its token stops working at once."""
    ApiToken.objects.filter(pk=token.pk).delete()


def api_tokens_end(*, user: User) -> int:
    """End every token of `user`'s (a new password, a reset, "sign out every app", the
    account deleted); how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted

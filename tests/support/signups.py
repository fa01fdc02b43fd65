"""Signing up as a person does: the form, then the link in the email Sidelog sent.

Mail goes to `django.core.mail.outbox` (the test settings' locmem backend), in the test's
process; a live server run by the browser tests sends into the same list.
"""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client

SIGN_UP_LINK = re.compile(r"https?://[^/\s]+(/accounts/signup/finish/[^/\s]+/)")
EMAIL_CHANGE_LINK = re.compile(r"https?://[^/\s]+(/accounts/settings/email/[^/\s]+/)")


def emails_to(address: str) -> list[EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def last_email_to(address: str) -> EmailMessage:
    sent = emails_to(address)
    assert sent, f"no email was sent to {address}"
    return sent[-1]


def link_in(message: EmailMessage, pattern: re.Pattern[str] = SIGN_UP_LINK) -> str:
    """The path of the link `pattern` finds in the email's text."""
    found = pattern.search(str(message.body))
    assert found is not None, f"no link in: {message.body}"
    return found.group(1)


def sign_up_link(address: str) -> str:
    """The path of the link that finishes a sign-up, from the last email to `address`."""
    return link_in(last_email_to(address))


def sign_up_finish(client: Client, address: str, **kwargs: Any) -> Any:
    """Open the emailed link and press its button, as the person would; the POST's answer."""
    link = sign_up_link(address)
    page = client.get(link)
    assert page.status_code == 200, page.content
    return client.post(link, **kwargs)

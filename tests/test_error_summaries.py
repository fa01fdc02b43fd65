"""Every form posted wrong shows, at the top, a summary of all its errors, each a link to
the field it is about."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sharing.services import share_link_create
from tests.support.clients import visitor
from tests.support.reports import ready_report

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(
    r'<div class="callout" role="alert">\s*<h[24]>There is a problem</h[24]>(.*?)</div>', re.S
)

PATIENT_FORMS = {
    "medicine": ("/journal/courses/new/", {"drug": "nothing we know"}),
    "dose": ("/journal/doses/new/", {"taken_at": "yesterday"}),
    "entry": ("/journal/entries/new/", {"onset_at": "soon"}),
    "quick entry": ("/journal/entries/quick/", {}),
    "questionnaire": ("/journal/questionnaires/phq-9/", {"item_1": "7"}),
    "questionnaire schedule": ("/journal/questionnaires/schedule/", {"phq-9": "daily"}),
    "report": ("/journal/reports/", {"period_start": "x"}),
    "provider grant": ("/journal/sharing/providers/", {"provider_email": "not an address"}),
    "caregiver invitation": ("/journal/sharing/caregivers/", {"email": "not an address"}),
    "settings": ("/accounts/settings/", {"time_zone": "Mars/Olympus"}),
    "password change": ("/accounts/password_change/", {"old_password": "wrong"}),
    "account deletion": ("/accounts/delete/", {}),
}
VISITOR_FORMS = {
    "log in": ("/accounts/login/", {"username": "nobody"}),
    "sign up": ("/accounts/signup/", {"email": "not an address"}),
    "provider sign up": ("/accounts/signup/provider/", {}),
    "password reset": ("/accounts/password_reset/", {"email": "not an address"}),
}


def assert_summary_links_every_error(text: str) -> None:
    summaries = SUMMARY.findall(text)
    assert len(summaries) == 1, "no error summary"
    summary = summaries[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets, "the summary links to no field"
    for target in targets:
        assert f'id="{target}"' in text, f"the summary links to #{target}, which is not there"
    # Every field's own error is in the summary too: all of them at once.
    inline = re.findall(r'<ul class="errorlist"[^>]*id="(id_[^"]+)_error"', text)
    assert set(inline) <= set(targets), (
        f"errors missing from the summary: {set(inline) - set(targets)}"
    )


@pytest.mark.parametrize("name", list(PATIENT_FORMS))
def test_a_patients_form_posted_wrong_shows_the_summary(
    patient: User, patient_client: Client, name: str
) -> None:
    path, data = PATIENT_FORMS[name]

    response = patient_client.post(path, data)

    assert response.status_code in (200, 400), response.status_code
    assert_summary_links_every_error(response.text)


@pytest.mark.parametrize("name", list(VISITOR_FORMS))
def test_a_visitors_form_posted_wrong_shows_the_summary(name: str) -> None:
    path, data = VISITOR_FORMS[name]

    response = visitor().post(path, data)

    assert response.status_code in (200, 400), response.status_code
    assert_summary_links_every_error(response.text)


def test_a_wrong_access_code_shows_the_summary(patient: User) -> None:
    link = share_link_create(
        report=ready_report(patient),
        recipient="Dr Okafor",
        created_by=patient,
        with_access_code=True,
    )
    wrong = f"{(int(link.access_code or 0) + 1) % 10**6:06d}"

    response = visitor().post(f"/s/{link.token}/", {"code": wrong})

    assert "That code is not right." in SUMMARY.findall(response.text)[0]

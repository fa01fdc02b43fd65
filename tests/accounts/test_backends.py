"""The signed-in person is read with their profile, in one query, on every request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_page_reads_the_person_and_their_profile_in_one_query(patient_client: Client) -> None:
    patient_client.get("/accounts/settings/")  # the session's once-a-minute refresh
    with CaptureQueriesContext(connection) as queries:
        assert patient_client.get("/accounts/settings/").status_code == 200

    users = [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"]]
    profiles = [q["sql"] for q in queries if 'FROM "journal_profile"' in q["sql"]]
    assert len(users) == 1
    assert '"journal_profile"' in users[0]
    assert profiles == []


def test_an_api_call_reads_the_token_person_and_profile_in_one_query(api: APIClient) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/profile/").status_code == 200

    tokens = [q["sql"] for q in queries if 'FROM "accounts_apitoken"' in q["sql"]]
    profiles = [q["sql"] for q in queries if 'FROM "journal_profile"' in q["sql"]]
    assert len(tokens) == 1
    assert '"journal_profile"' in tokens[0]
    assert profiles == []

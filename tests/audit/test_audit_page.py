"""'Who saw my data': the patient's audit log, as a page and at GET /api/v1/audit/.

Only the patient reads it: newest first, 50 to a page, in their own time zone, refusals
marked. A caregiver keeping their journal, a provider, a content editor get 404; another
patient reads only their own log; anonymous is sent to log in (401/403 on the API).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from audit.models import AuditAction, AuditEvent, AuditOutcome
from audit.services import audit_record
from tests.support.clients import acting_for, logged_in_client, token_client

pytestmark = pytest.mark.django_db

PAGE = "/journal/audit/"
API = "/api/v1/audit/"
FIELDS = {"id", "created_at", "actor", "action", "action_label", "target", "ip_address", "outcome"}


def row_record(
    patient: User,
    target: str,
    *,
    action: AuditAction = AuditAction.REPORT_VIEWED,
    actor: User | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> AuditEvent:
    return audit_record(
        action=action, patient_id=patient.pk, actor=actor, target=target, outcome=outcome
    )


@pytest.fixture
def pats_log(patient: User, provider: User, other_patient: User) -> list[AuditEvent]:
    """Three rows of Pat's, oldest first, and one of Olga's."""
    rows = [
        row_record(patient, "Pat's first report", actor=patient, action=AuditAction.SHARE_CREATED),
        row_record(patient, "Pat's report, summary page", actor=provider),
        row_record(
            patient,
            "Pat's report (wrong access code)",
            action=AuditAction.SHARE_REFUSED,
            outcome=AuditOutcome.REFUSED,
        ),
    ]
    row_record(other_patient, "Olga's report", actor=other_patient)
    return rows


def targets_in(html: str) -> list[str]:
    return re.findall(r"(Pat&#x27;s [^<]+|Olga&#x27;s [^<]+)</td>", html)


# The page


def test_the_patient_sees_their_rows_newest_first(
    pats_log: list[AuditEvent], patient_client: Client
) -> None:
    response = patient_client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert targets_in(html) == [
        "Pat&#x27;s report (wrong access code)",
        "Pat&#x27;s report, summary page",
        "Pat&#x27;s first report",
    ]
    assert "Olga" not in html
    assert "dr_okafor (provider)" in html
    assert "Was refused by a share link" in html
    assert "Viewed a report" in html
    assert "Created a share link" in html
    assert "Sidelog writes down every time" in html


def test_a_refusal_is_marked_and_an_allowed_row_is_not(
    pats_log: list[AuditEvent], patient_client: Client
) -> None:
    html = patient_client.get(PAGE).content.decode()

    rows = re.findall(r'<tr class="audit-(\w+)">(.*?)</tr>', html, re.DOTALL)
    assert [outcome for outcome, _ in rows] == ["refused", "allowed", "allowed"]
    assert '<strong class="item-flag">Refused</strong>' in rows[0][1]
    assert "Refused" not in rows[1][1]


def test_times_are_shown_in_the_patients_time_zone(
    pats_log: list[AuditEvent], patient: User, patient_client: Client
) -> None:
    Profile.objects.filter(user=patient).update(time_zone="America/New_York")
    newest = pats_log[-1].created_at.astimezone(ZoneInfo("America/New_York"))

    html = patient_client.get(PAGE).content.decode()

    assert f'<time datetime="{newest.isoformat()}">{newest:%-d %b %Y, %H:%M}</time>' in html
    assert "Times are in America/New_York" in html


def test_the_address_each_request_came_from_is_shown(patient: User, patient_client: Client) -> None:
    patient_client.post("/accounts/export/", REMOTE_ADDR="203.0.113.9")

    html = patient_client.get(PAGE).content.decode()

    assert '<td data-label="From address">203.0.113.9</td>' in html
    assert "Downloaded all of the patient&#x27;s data" in html


def test_an_empty_log_says_so(patient_client: Client) -> None:
    html = patient_client.get(PAGE).content.decode()

    assert '<p class="empty">Nothing yet' in html
    assert "<table" not in html


def test_the_log_is_paged_by_fifty(patient: User, patient_client: Client) -> None:
    for number in range(61):
        row_record(patient, f"report {number:02d}")

    first = patient_client.get(PAGE).content.decode()
    second = patient_client.get(PAGE, {"page": 2}).content.decode()

    assert first.count('<tr class="audit-') == 50
    assert "report 60" in first
    assert "report 10<" not in first
    assert 'href="?page=2" rel="next"' in first
    assert second.count('<tr class="audit-') == 11
    assert "report 00" in second
    assert patient_client.get(PAGE, {"page": "x"}).status_code == 200


def test_the_page_costs_the_same_queries_for_3_rows_as_for_50(
    patient: User, patient_client: Client
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert patient_client.get(PAGE).status_code == 200
        return len(captured)

    for number in range(3):
        row_record(patient, f"report {number}")
    queries()  # the first request refreshes the session; the next ones within a minute do not
    few = queries()
    for number in range(47):
        row_record(patient, f"report {number}")
    assert queries() == few


def test_another_patient_sees_only_their_own_log(
    pats_log: list[AuditEvent], other_patient_client: Client
) -> None:
    response = other_patient_client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Olga&#x27;s report" in html
    assert "Pat&#x27;s" not in html


@pytest.mark.parametrize("who", ["caregiver", "provider", "content_editor"])
def test_no_one_else_reaches_the_page(
    pats_log: list[AuditEvent], who: str, request: pytest.FixtureRequest
) -> None:
    client = logged_in_client(request.getfixturevalue(who))

    assert client.get(PAGE).status_code == 404


def test_a_caregiver_keeping_pats_journal_gets_404(
    pats_log: list[AuditEvent], patient: User, caregiver: User
) -> None:
    client = acting_for(logged_in_client(caregiver), patient)
    assert client.get("/journal/").status_code == 200  # they are in Pat's journal

    assert client.get(PAGE).status_code == 404


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/journal/audit/")


def test_the_account_page_links_to_the_log_the_download_and_deletion(
    patient_client: Client,
) -> None:
    html = patient_client.get("/accounts/settings/").content.decode()

    assert '<a href="/journal/audit/">Who saw my data</a>' in html
    assert '<a href="/accounts/export/">Download all my data</a>' in html
    assert '<a href="/accounts/delete/">Delete my account</a>' in html


# The API


def test_the_api_gives_the_patient_their_rows_newest_first(
    pats_log: list[AuditEvent], patient: User
) -> None:
    Profile.objects.filter(user=patient).update(time_zone="Asia/Kolkata")

    response = token_client(patient).get(API)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    results = body["results"]
    assert [row["id"] for row in results] == [row.pk for row in reversed(pats_log)]
    assert set(results[0]) == FIELDS
    assert results[0]["action"] == "share.refused"
    assert results[0]["action_label"] == "Was refused by a share link"
    assert results[0]["outcome"] == "refused"
    assert results[1]["actor"] == "dr_okafor (provider)"
    assert results[0]["created_at"].endswith("+05:30")


def test_the_api_is_paged_by_fifty(patient: User) -> None:
    for number in range(51):
        row_record(patient, f"report {number}")
    client = token_client(patient)

    first = client.get(API).json()
    second = client.get(API, {"page": 2}).json()

    assert (first["count"], len(first["results"]), len(second["results"])) == (51, 50, 1)
    assert first["next"].endswith("/api/v1/audit/?page=2")


def test_the_api_works_with_the_web_session(
    pats_log: list[AuditEvent], patient_client: Client
) -> None:
    assert patient_client.get(API).json()["count"] == 3


def test_another_patient_gets_only_their_own_rows_from_the_api(
    pats_log: list[AuditEvent], other_patient: User
) -> None:
    results = token_client(other_patient).get(API).json()["results"]

    assert [row["target"] for row in results] == ["Olga's report"]


@pytest.mark.parametrize("who", ["caregiver", "provider", "content_editor"])
def test_no_one_else_reaches_the_api(
    pats_log: list[AuditEvent], who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)

    assert token_client(user).get(API).status_code == 404
    assert logged_in_client(user).get(API).status_code == 404


def test_a_caregiver_keeping_pats_journal_gets_404_from_the_api(
    pats_log: list[AuditEvent], patient: User, caregiver: User
) -> None:
    client = acting_for(logged_in_client(caregiver), patient)

    assert client.get(API).status_code == 404


def test_anonymous_gets_401_or_403_from_the_api(pats_log: list[AuditEvent], client: Client) -> None:
    assert client.get(API).status_code in (401, 403)
    assert Client(HTTP_AUTHORIZATION="Token nope").get(API).status_code in (401, 403)


def test_the_api_cannot_write_to_the_log(pats_log: list[AuditEvent], patient: User) -> None:
    client = token_client(patient)

    assert client.post(API, {"target": "x"}).status_code == 405
    assert client.delete(API).status_code == 405
    assert AuditEvent.objects.count() == 4


def test_the_api_is_documented_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/audit/"]["get"]
    assert set(schema["paths"]["/api/v1/audit/"]) == {"get"}
    assert operation["operationId"] == "v1_audit_list"
    assert operation["tags"] == ["audit"]
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paginated = schema["components"]["schemas"][page.rsplit("/", 1)[1]]
    row = paginated["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][row]["properties"]) == FIELDS
    operation_ids = [
        method["operationId"] for path in schema["paths"].values() for method in path.values()
    ]
    assert operation_ids.count("v1_audit_list") == 1

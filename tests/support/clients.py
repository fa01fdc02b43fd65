"""Clients for pages and the API: logged in, acting for a patient, by token, or nobody's."""

from __future__ import annotations

import ipaddress
import uuid

from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from accounts.access import ACTING_FOR
from accounts.services import api_token_create


def logged_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.ModelBackend")
    return client


def acting_for(client: Client, patient: User) -> Client:
    """A caregiver's client, switched into `patient`'s journal."""
    session = client.session
    session[ACTING_FOR] = patient.pk
    session.save()
    return client


def token_client(user: User) -> APIClient:
    """An API client sending a token of `user`'s, as the apps do."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='tests').key}")
    return client


def api_client_for(user: User) -> APIClient:
    """An API client logged in as `user` without a token (DRF's force_authenticate)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def visitor() -> Client:
    """Someone with no account, from an address no other test uses."""
    address = ipaddress.IPv6Address("2001:db8::") + uuid.uuid4().int % 2**64
    return Client(REMOTE_ADDR=str(address))

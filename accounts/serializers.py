"""Serializers of the accounts API (token sign-in, the profile), and the text field every
API's serializers share: they check the shape of input and nothing more."""

from __future__ import annotations

from typing import Any

from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.forms import time_zone_names
from accounts.models import Profile
from reference.helplines import Helplines, helplines_for

LOCKED_OUT = "Too many failed attempts; try again later."
WRONG_CREDENTIALS = "That username and password don't match an account."


class TextField(serializers.CharField):
    """Text only: a number or a boolean in JSON is refused rather than turned into text."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TokenInputSerializer(serializers.Serializer[Any]):
    username = TextField(max_length=150)
    password = TextField(max_length=4096, trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send it as the header `Authorization: Token <token>`.")


class ProfileInputSerializer(serializers.Serializer[Any]):
    display_name = TextField(
        max_length=150,
        allow_blank=True,
        required=False,
        help_text="Your name on reports and the pages you share (never your username); "
        "empty: “Name not given”.",
    )
    time_zone = serializers.ChoiceField(
        choices=time_zone_names(), help_text="An IANA time zone, e.g. `Europe/Berlin`."
    )
    country = serializers.ChoiceField(
        choices=["", *(country.code for country in countries)],
        allow_blank=True,
        default="",
        help_text="An ISO 3166 code, e.g. `DE`; empty for the country of `time_zone`.",
    )


class HelplinesSerializer(serializers.Serializer[Helplines]):
    country_name = serializers.CharField()
    emergency = serializers.CharField(help_text="The emergency number, as it is dialled.")
    crisis_line = serializers.CharField()


class ProfileOutputSerializer(serializers.ModelSerializer[Profile]):
    country = serializers.CharField(
        help_text="ISO 3166 code: red flags give this country's emergency and crisis numbers."
    )
    help_lines = serializers.SerializerMethodField(
        help_text="The numbers red flags give; null where Sidelog has none for the country "
        "(then it says “your local emergency number”)."
    )

    class Meta:
        model = Profile
        fields = ["display_name", "time_zone", "country", "help_lines"]

    @extend_schema_field(HelplinesSerializer(allow_null=True))
    def get_help_lines(self, profile: Profile) -> Any:
        lines = helplines_for(str(profile.country))
        return HelplinesSerializer(lines).data if lines else None

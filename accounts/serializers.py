"""Serializers of the accounts API (token sign-in, the person's tokens, the profile), and the
text field every API's serializers share: they check the shape of input and nothing more."""

from __future__ import annotations

from typing import Any

from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.forms import time_zone_names
from accounts.models import ApiToken, Profile
from accounts.text_limits import NAME, PASSWORD, USERNAME, plain_text, too_long
from reference.helplines import Helplines, helplines_for

LOCKED_OUT = "Too many failed attempts; try again later."
WRONG_CREDENTIALS = "That username and password don't match an account."


class TextField(serializers.CharField):
    """Text only: a number or a boolean in JSON is refused rather than turned into text. Too
    long a text is refused with the web forms' message (`accounts.text_limits`)."""

    def __init__(self, *, verbatim: bool = False, **kwargs: Any) -> None:
        """`verbatim`: kept exactly as sent (a password); other text loses its bidirectional
        control characters (`plain_text`), as in the web forms."""
        if kwargs.get("max_length") is not None:
            too_long_message = {"max_length": too_long(kwargs["max_length"])}
            kwargs["error_messages"] = too_long_message | kwargs.get("error_messages", {})
        self.verbatim = verbatim
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data if self.verbatim else plain_text(data))


class TokenInputSerializer(serializers.Serializer[Any]):
    username = TextField(max_length=USERNAME)
    password = TextField(max_length=PASSWORD, trim_whitespace=False, verbatim=True)
    name = TextField(
        max_length=50,
        required=False,
        allow_blank=True,
        help_text="What the token is for, e.g. “phone” or “clinic app”: your list of tokens "
        "shows it. Left out: “API token”.",
    )


class ApiTokenOutputSerializer(serializers.ModelSerializer[ApiToken]):
    key_id = serializers.CharField(
        help_text="The token's first part, before the dot: not secret, it tells tokens apart."
    )
    ends_at = serializers.DateTimeField(
        help_text="When the token ends unless it is used before: each use moves this on, up "
        "to 12 hours after it was made. A new password ends it too."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "key_id", "created_at", "last_used_at", "ends_at"]


class TokenOutputSerializer(ApiTokenOutputSerializer):
    token = serializers.CharField(
        help_text="Send it as the header `Authorization: Token <token>`. Shown this once: "
        "Sidelog keeps only a hash of it."
    )

    class Meta(ApiTokenOutputSerializer.Meta):
        fields = ["token", *ApiTokenOutputSerializer.Meta.fields]


class TokenListItemSerializer(ApiTokenOutputSerializer):
    current = serializers.SerializerMethodField(
        help_text="Whether this request was made with this token."
    )

    class Meta(ApiTokenOutputSerializer.Meta):
        fields = [*ApiTokenOutputSerializer.Meta.fields, "current"]

    def get_current(self, token: ApiToken) -> bool:
        return bool(token.pk == self.context.get("current_token_id"))


class ProfileInputSerializer(serializers.Serializer[Any]):
    display_name = TextField(
        max_length=NAME,
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
    date_of_birth = serializers.DateField(
        allow_null=True,
        required=False,
        help_text="Optional, e.g. `1980-04-23`; shown on your reports. Null removes it.",
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
        fields = ["display_name", "date_of_birth", "time_zone", "country", "help_lines"]

    @extend_schema_field(HelplinesSerializer(allow_null=True))
    def get_help_lines(self, profile: Profile) -> Any:
        lines = helplines_for(str(profile.country))
        return HelplinesSerializer(lines).data if lines else None

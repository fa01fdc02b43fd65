from __future__ import annotations

from django import template

from reference.models import MeasurementRule, RedFlag

register = template.Library()


@register.filter
def guidance_for(flag: RedFlag | MeasurementRule, country: str | None) -> str:
    """`{{ flag|guidance_for:help_country }}`: the guidance with that country's numbers
    (a visitor, or a patient without a country, reads "your local emergency number")."""
    return flag.guidance_for(country)

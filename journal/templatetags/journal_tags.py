from __future__ import annotations

from typing import Any

from django import template

from journal.selectors import danger_sign_labels

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`{{ red_flags|get_item:entry.pk }}`: look a key up in a dict."""
    return mapping.get(key)


@register.filter
def danger_signs(entry: Any) -> str:
    """`{{ entry|danger_signs }}`: the danger signs it records, in words, or ""."""
    return ", ".join(label.lower() for label in danger_sign_labels(entry))

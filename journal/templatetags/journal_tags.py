"""The journal's template helpers.

The items of the timeline and the dashboard (an entry or a dose, with the line under it)
are written here with `item_html` (a lighter `format_html`), as the admin writes the rows
of its change lists, rather than as template conditions: a page shows 50 of them, and the
template language spends a quarter of a millisecond on each where Python spends a few
hundredths.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser, User
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import person_name
from journal.models import DoseEvent, Measurement, SymptomEntry
from journal.selectors import danger_sign_labels
from reference.models import RedFlag, Severity

register = template.Library()

BACKFILLED = mark_safe('<span class="tag">Back-filled</span>')
EDITED = mark_safe('<span class="tag">Edited</span>')


def item_html(template: str, *args: Any) -> SafeString:
    """`format_html` for the items of a page: each argument escaped as Django escapes it
    (`html.escape` of its text; a safe string as it is), without Django's look for lazy
    strings in every argument on the way, which cost a sixteenth of the timeline's time.
    `tests/journal/test_journal_tags.py` holds the two together."""
    return mark_safe(template.format(*map(_escaped, args)))  # noqa: S308 (all escaped)


def items_joined(parts: Iterable[Any]) -> SafeString:
    """The parts of a line under an item, escaped as `item_html` escapes, joined by " · "."""
    return mark_safe(" · ".join(map(_escaped, parts)))  # noqa: S308 (all escaped)


def _escaped(value: Any) -> str:
    return value if isinstance(value, SafeString) else html.escape(str(value))


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`{{ red_flags|get_item:entry.pk }}`: look a key up in a dict."""
    return mapping.get(key)


@register.filter
def danger_signs(entry: Any) -> str:
    """`{{ entry|danger_signs }}`: the danger signs it records, in words, or ""."""
    return ", ".join(label.lower() for label in danger_sign_labels(entry))


@register.simple_tag
def severity_buttons() -> SafeString:
    """The five buttons, 0 to 4, that save a quick entry at that severity. The dashboard
    shows them under each of its quick symptoms; they are written once per process."""
    return _severity_buttons()


@functools.cache
def _severity_buttons() -> SafeString:
    buttons = format_html_join(
        "\n",
        '<button type="submit" name="severity" value="{}" class="severity-button '
        'severity-button-{}"><span class="severity-number">{}</span> '
        '<span class="severity-label">{}</span></button>',
        ((value, value, value, label) for value, label in Severity.choices),
    )
    return format_html('<div class="severity-buttons">\n{}\n</div>', buttons)


def path_of(route: str, pk: int) -> str:
    """What `reverse(route, args=[pk])` gives, for a route whose one argument is an id.

    Django checks every reversed path against its pattern, a tenth of the timeline's time
    for 50 items; the path around the id is reversed once per process (and script prefix)."""
    return _path_around_id(route, get_script_prefix()).format(pk)


@functools.cache
def _path_around_id(route: str, prefix: str) -> str:
    marker = 987654321  # an id no route spells otherwise
    return reverse(route, args=[marker]).replace(str(marker), "{}")


def clock_time(moment: datetime) -> str:
    """ "14:05" in the zone active for the request (the patient's), as `|time:"H:i"` writes it."""
    return timezone.localtime(moment).strftime("%H:%M")


def day_and_time(moment: datetime) -> str:
    """ "Tue 3 Dec, 14:05", as `|date:"D j M, H:i"` writes it in English."""
    local = timezone.localtime(moment)
    return f"{local:%a} {local.day} {local:%b, %H:%M}"


def when_recent(moment: datetime) -> str:
    """ "Today 14:05", "Yesterday 09:10", "Mon 30 Nov 14:05" (with the year when not this
    one), in the zone active for the request."""
    local = timezone.localtime(moment)
    days_ago = (timezone.localdate() - local.date()).days
    if days_ago == 0:
        return f"Today {local:%H:%M}"
    if days_ago == 1:
        return f"Yesterday {local:%H:%M}"
    year = "" if local.year == timezone.localdate().year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


def who_logged(who: User | None, *, patient_id: int, viewer: User | AnonymousUser) -> str:
    """Who logged a row, as the person reading it knows them."""
    if who is not None and who.pk == viewer.pk:
        return "you"
    if who is None:
        return "someone no longer in Sidelog"
    if who.pk == patient_id:
        return f"{person_name(who)} (the patient)"
    return person_name(who)


@register.simple_tag(takes_context=True)
def logged_by(context: template.Context, row: SymptomEntry | DoseEvent | Measurement) -> str:
    """`{% logged_by entry %}`: "you", "Pat (the patient)" or the caregiver's name."""
    patient_id = row.course.patient_id if isinstance(row, DoseEvent) else row.patient_id
    return who_logged(row.logged_by, patient_id=patient_id, viewer=context["user"])


def entry_meta(context: template.Context, entry: SymptomEntry) -> SafeString:
    """The line under an entry: resolved or not, interference, how Sidelog read the words,
    danger signs, the dose it followed, who logged it if not the reader, back-filled, edited."""
    parts: list[Any] = [
        f"Resolved {day_and_time(entry.resolved_at)}" if entry.resolved_at else "Still going",
        f"Interference: {entry.interference_label.lower()}",
    ]
    if entry.matched_side_effect:
        parts.append(f"Read as {entry.matched_side_effect.name.lower()}")
    if entry.danger_signs:
        parts.append(f"With {danger_signs(entry)}")
    if entry.dose:
        drug = entry.dose.course.drug.name
        amount = f" ({entry.dose.amount})" if entry.dose.amount else ""
        parts.append(f"After {drug}{amount} at {clock_time(entry.dose.taken_at)}")
    viewer = context["user"]
    if not entry.logged_by_id == entry.patient_id == viewer.pk:
        who = who_logged(entry.logged_by, patient_id=entry.patient_id, viewer=viewer)
        parts.append(f"Logged by {who}")
    if entry.is_backfilled:
        parts.append(BACKFILLED)
    if entry.is_edited:
        parts.append(EDITED)
    return items_joined(parts)


def dose_meta(context: template.Context, dose: DoseEvent) -> SafeString:
    """The line under a dose: who logged it, back-filled, edited, and its check-in."""
    who = who_logged(dose.logged_by, patient_id=dose.course.patient_id, viewer=context["user"])
    parts: list[Any] = [f"Logged by {who}"]
    if dose.is_backfilled:
        parts.append(BACKFILLED)
    if dose.is_edited:
        parts.append(EDITED)
    if dose.offers_checkin:
        url = path_of("journal:checkin", dose.pk)
        parts.append(item_html('<a href="{}">Post-dose check-in</a>', url))
    return items_joined(parts)


@register.simple_tag(takes_context=True)
def entry_item(
    context: template.Context,
    entry: SymptomEntry,
    red_flags: list[RedFlag] | None = None,
    with_day: bool = False,
) -> SafeString:
    """`{% entry_item entry red_flags %}`: an entry as a list item, with its most urgent red
    flag's action under it; `with_day=True` puts the day before the time (the dashboard)."""
    flag = (
        item_html('<p class="item-flag"><strong>{}</strong></p>', red_flags[0].get_action_display())
        if red_flags
        else ""
    )
    return item_html(
        '<li class="item item-entry"><a href="{}"><span class="item-time">{}</span> '
        '<span class="item-title">{}</span> <span class="severity severity-{}">{}</span></a>'
        '<p class="item-meta">{}</p>{}</li>',
        path_of("journal:entry-detail", entry.pk),
        when_recent(entry.onset_at) if with_day else clock_time(entry.onset_at),
        entry.symptom_name,
        entry.severity,
        entry.severity_label,
        entry_meta(context, entry),
        flag,
    )


@register.simple_tag(takes_context=True)
def dose_item(context: template.Context, dose: DoseEvent) -> SafeString:
    """`{% dose_item dose %}`: a dose as a list item."""
    return item_html(
        '<li class="item item-dose"><a href="{}"><span class="item-time">{}</span> '
        '<span class="item-title">{} dose</span>{} <span class="tag">{}</span></a>'
        '<p class="item-meta">{}</p></li>',
        path_of("journal:dose-edit", dose.pk),
        clock_time(dose.taken_at),
        dose.course.drug.name,
        item_html(' <span class="item-amount">{}</span>', dose.amount) if dose.amount else "",
        dose.get_setting_display(),
        dose_meta(context, dose),
    )


@register.simple_tag(takes_context=True)
def day_items(
    context: template.Context,
    items: list[SymptomEntry | DoseEvent | Measurement],
    red_flags: dict[int, list[RedFlag]],
) -> SafeString:
    """`{% day_items day.items timeline.red_flags %}`: a day of the timeline, its entries and
    doses as list items, written in one call rather than a template loop over 50 items."""
    return mark_safe(  # noqa: S308 (each item is built with item_html)
        "".join(
            entry_item(context, item, red_flags.get(item.pk))
            if isinstance(item, SymptomEntry)
            else measurement_item(context, item)
            if isinstance(item, Measurement)
            else dose_item(context, item)
            for item in items
        )
    )


def measurement_item(context: template.Context, row: Measurement) -> SafeString:
    """A reading as a list item of the timeline, with its most urgent red flag's action
    (`red_flags`, set on it by the timeline) under it."""
    flags = getattr(row, "red_flags", None)
    flag = (
        item_html('<p class="item-flag"><strong>{}</strong></p>', flags[0].get_action_display())
        if flags
        else ""
    )
    parts: list[Any] = [row.get_context_display()]
    if row.logged_by_id != row.patient_id or row.patient_id != context["user"].pk:
        who = who_logged(row.logged_by, patient_id=row.patient_id, viewer=context["user"])
        parts.append(f"Logged by {who}")
    if row.is_edited:
        parts.append(EDITED)
    return item_html(
        '<li class="item item-reading"><a href="{}"><span class="item-time">{}</span> '
        '<span class="item-title">{}</span> <span class="item-amount">{}</span></a>'
        '<p class="item-meta">{}</p>{}</li>',
        path_of("journal:measurement-detail", row.pk),
        clock_time(row.measured_at),
        row.get_kind_display(),
        row.reading,
        items_joined(parts),
        flag,
    )

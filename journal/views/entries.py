"""Pages for symptom entries: log one, see it (with any red flag first), edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import acting_user, journal_owner
from accounts.forms import service_result
from journal import quick_log, selectors, services
from journal.forms.journal import (
    DOSE_SUGGESTED,
    MATCH_NONE,
    READ_FROM_WORDS,
    EntryForm,
)
from journal.forms.quick import QuickEntryForm
from journal.models import SymptomEntry
from journal.quick_log import serious_side_effects
from journal.views.pages import delete_confirmed
from reference.models import SideEffect


@login_required
def entry_create(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    initial: dict[str, object] = {
        "onset_at": timezone.localtime().replace(second=0, microsecond=0),
        "dose": DOSE_SUGGESTED,
    }
    slug = request.GET.get("side_effect")
    if slug:
        initial["side_effect"] = SideEffect.objects.published().filter(slug=slug).first()
    form = EntryForm(request.POST or None, patient=patient, initial=initial)
    entry = service_result(
        form,
        lambda _data: services.symptom_entry_create(
            patient=patient,
            logged_by=acting_user(request),
            data=form.entry_input(),
            dose=form.chosen_dose(),
            request=request,
        ),
    )
    if entry is not None:
        messages.success(request, f"{entry.symptom_name} logged.")
        return redirect(entry)
    return render(request, "journal/entry_form.html", {"form": form, "entry": None})


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    entry = selectors.entry_get(patient=patient, pk=pk)
    red_flags = selectors.red_flags_for(patient=patient, entries=[entry])[entry.pk]
    history = entry.history.select_related("history_user").order_by("-history_date")
    context = {
        "entry": entry,
        "red_flags": red_flags,
        "history": history,
        "danger_signs": selectors.danger_sign_labels(entry),
        "undoable": quick_log.just_logged(
            patient=patient, logged_by=acting_user(request), pk=str(entry.pk)
        ),
    }
    return render(request, "journal/entry_detail.html", context)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    entry = selectors.entry_get(patient=patient, pk=pk)
    symptom = entry.side_effect or entry.matched_side_effect
    initial = {
        "side_effect": entry.side_effect,
        "other_symptom": entry.other_symptom,
        "onset_at": timezone.localtime(entry.onset_at),
        "resolved_at": timezone.localtime(entry.resolved_at) if entry.resolved_at else None,
        "severity": entry.severity,
        "interference": entry.interference,
        "notes": entry.notes,
        "dose": entry.dose if entry.dose else "none",
        "danger_signs": [f"{symptom.slug}:{slug}" for slug in entry.danger_signs]
        if symptom
        else [],
        "danger_signs_for": symptom,
        "matched_side_effect": _matched_choice(entry),
    }
    form = EntryForm(request.POST or None, patient=patient, initial=initial)
    updated = service_result(
        form,
        lambda _data: services.symptom_entry_update(
            entry=entry,
            data=form.entry_input(),
            dose=form.chosen_dose(),
            acted_by=acting_user(request),
            request=request,
        ),
    )
    if updated is not None:
        messages.success(request, "Entry updated. The earlier version is kept in its history.")
        return redirect(entry)
    return render(request, "journal/entry_form.html", {"form": form, "entry": entry})


def _matched_choice(entry: SymptomEntry) -> str:
    if not entry.match_set_by_patient:
        return READ_FROM_WORDS
    return entry.matched_side_effect.slug if entry.matched_side_effect else MATCH_NONE


@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    entry = selectors.entry_get(patient=patient, pk=pk)
    return delete_confirmed(
        request,
        entry,
        kind="entry",
        delete=lambda: services.symptom_entry_delete(
            entry=entry, acted_by=acting_user(request), request=request
        ),
        done="Entry deleted.",
    )


@login_required
def entry_quick(request: HttpRequest) -> HttpResponse:
    """Two taps to log: a POST of a symptom and a severity saves an entry starting now. The
    page itself (a GET, or a POST refused) asks for the severity of one symptom."""
    patient = journal_owner(request)
    data = request.POST if request.method == "POST" else None
    form = QuickEntryForm(data, initial={"side_effect": request.GET.get("side_effect")})
    entry = service_result(
        form,
        lambda _data: services.symptom_entry_quick_create(
            patient=patient,
            logged_by=acting_user(request),
            side_effect=form.chosen_side_effect(),
            severity=form.cleaned_data["severity"],
            request=request,
        ),
    )
    if entry is None:
        return render(request, "journal/entry_quick.html", {"form": form})
    if selectors.red_flags_for(patient=patient, entries=[entry])[entry.pk]:
        return redirect(entry)
    return redirect(f"{reverse('journal:dashboard')}?logged={entry.pk}#logged")


@login_required
@require_POST
def entry_undo(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    entry = selectors.entry_get(patient=patient, pk=pk)
    try:
        services.symptom_entry_undo(entry=entry, acted_by=acting_user(request), request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(entry)
    messages.success(request, f"{entry.symptom_name} removed: nothing was kept.")
    return redirect("journal:dashboard")


@login_required
def entry_serious(request: HttpRequest) -> HttpResponse:
    """ "Something serious?": the symptoms never offered as quick buttons, each opening the
    full form with its danger signs, under who to call now."""
    journal_owner(request)
    return render(request, "journal/entry_serious.html", {"side_effects": serious_side_effects()})

"""Pages for readings (log one, see it with any red flag first, edit, delete) and the record
of a ketamine or esketamine session given in a clinic. A caregiver keeping the journal uses
the same pages: what they log is marked as theirs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import acting_user, journal_owner
from accounts.forms import service_result
from accounts.selectors import patient_profile
from journal import selectors, services
from journal.forms.journal import DOSE_NONE, DOSE_SUGGESTED
from journal.forms.measurements import ClinicSessionForm, MeasurementForm
from journal.models import DoseEvent, Measurement, fahrenheit_from_celsius
from journal.views.pages import delete_confirmed


def _initial_from_query(request: HttpRequest, patient: object) -> dict[str, object]:
    """A link from the check-in or a clinic session fills in the kind, dose and context."""
    profile = patient_profile(patient)
    initial: dict[str, object] = {
        "measured_at": timezone.localtime().replace(second=0, microsecond=0),
        "dose": DOSE_SUGGESTED,
        "context": Measurement.Context.HOME,
        "unit": profile.temperature_unit if profile else "C",
    }
    if request.GET.get("kind") in Measurement.Kind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("context") in Measurement.Context.values:
        initial["context"] = request.GET["context"]
    dose_id = request.GET.get("dose", "")
    if dose_id.isdigit():
        initial["dose"] = selectors.dose_get(patient=patient, pk=int(dose_id))  # type: ignore[arg-type]
    return initial


@login_required
def measurement_create(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    initial = _initial_from_query(request, patient)
    form = MeasurementForm(request.POST or None, patient=patient, initial=initial)
    measurement = service_result(
        form,
        lambda _data: services.measurement_create(
            patient=patient,
            logged_by=acting_user(request),
            data=form.measurement_input(),
            dose=form.chosen_dose(),
            request=request,
        ),
    )
    if measurement is not None:
        messages.success(request, f"{measurement.get_kind_display()} logged.")
        return redirect("journal:measurement-detail", measurement.pk)
    return render(request, "journal/measurement_form.html", {"form": form, "measurement": None})


@login_required
def measurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    measurement = selectors.measurement_get(patient=patient, pk=pk)
    flags = selectors.measurement_flags_for(patient=patient, measurements=[measurement])
    history = measurement.history.select_related("history_user").order_by("-history_date")
    context = {"measurement": measurement, "red_flags": flags[measurement.pk], "history": history}
    return render(request, "journal/measurement_detail.html", context)


@login_required
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    measurement = selectors.measurement_get(patient=patient, pk=pk)
    shown = measurement.value
    if shown is not None and measurement.entered_unit == Measurement.TemperatureUnit.FAHRENHEIT:
        shown = fahrenheit_from_celsius(shown)
    initial = {
        "kind": measurement.kind,
        "measured_at": timezone.localtime(measurement.measured_at),
        "systolic": measurement.systolic,
        "diastolic": measurement.diastolic,
        "pulse": measurement.pulse,
        "value": shown,
        "unit": measurement.entered_unit or "C",
        "context": measurement.context,
        "with_warning_signs": measurement.with_warning_signs,
        "dose": measurement.dose if measurement.dose else DOSE_NONE,
        "note": measurement.note,
    }
    form = MeasurementForm(request.POST or None, patient=patient, initial=initial)
    updated = service_result(
        form,
        lambda _data: services.measurement_update(
            measurement=measurement,
            data=form.measurement_input(),
            dose=form.chosen_dose(),
            acted_by=acting_user(request),
            request=request,
        ),
    )
    if updated is not None:
        messages.success(request, "Reading updated. The earlier version is kept in its history.")
        return redirect("journal:measurement-detail", measurement.pk)
    context = {"form": form, "measurement": measurement}
    return render(request, "journal/measurement_form.html", context)


@login_required
def measurement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    measurement = selectors.measurement_get(patient=patient, pk=pk)
    return delete_confirmed(
        request,
        measurement,
        kind="reading",
        delete=lambda: services.measurement_delete(
            measurement=measurement, acted_by=acting_user(request), request=request
        ),
        done="Reading deleted.",
    )


CLINIC_CONTEXTS = [
    Measurement.Context.BEFORE_DOSE,
    Measurement.Context.AFTER_40_MIN,
    Measurement.Context.DISCHARGE,
]


def clinic_readings(dose: DoseEvent) -> list[tuple[str, list[Measurement], str]]:
    """Each of the clinic's three blood pressure checks: its readings and a link to add one."""
    readings = selectors.readings_of_dose(dose)
    add = reverse("journal:measurement-create")
    return [
        (
            str(context.label),
            [row for row in readings if row.context == context],
            f"{add}?kind=blood_pressure&dose={dose.pk}&context={context.value}",
        )
        for context in CLINIC_CONTEXTS
    ]


def clinic_session_context(dose: DoseEvent) -> dict[str, object]:
    """What a dose's page and check-in show of its clinic session, if it was one."""
    if not services.is_clinic_session(dose):
        return {}
    return {
        "clinic_session": selectors.clinic_session_of(dose),
        "clinic_checks": clinic_readings(dose),
    }


@login_required
def clinic_session(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    dose = selectors.dose_get(patient=patient, pk=pk)
    if not services.is_clinic_session(dose):
        raise Http404(services.NOT_A_CLINIC_SESSION)
    session = selectors.clinic_session_of(dose)
    initial = {}
    if session is not None:
        leave = session.ready_to_leave_at
        initial = {
            "ready_to_leave_at": timezone.localtime(leave) if leave else None,
            "went_home": session.went_home,
            "note": session.note,
        }
    form = ClinicSessionForm(request.POST or None, initial=initial)
    saved = service_result(
        form,
        lambda data: services.clinic_session_save(
            dose=dose, logged_by=acting_user(request), request=request, **data
        ),
    )
    if saved is not None:
        messages.success(request, "Clinic session saved.")
        return redirect("journal:clinic-session", dose.pk)
    context = {
        "dose": dose,
        "form": form,
        "session": session,
        "checks": clinic_readings(dose),
    }
    return render(request, "journal/clinic_session.html", context)

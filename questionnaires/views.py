"""Pages: the questionnaires with the latest scores, fill one, see its score at once, the
responses to one, and when to be asked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.access import acting_user, journal_owner, journal_owner_only
from accounts.forms import service_result
from questionnaires import selectors, services
from questionnaires.forms import QuestionnaireForm, ScheduleForm
from questionnaires.instruments import FORMS, RECALL_QUESTIONS, Form
from questionnaires.models import Instrument, QuestionnaireResponse
from reference.selectors import library_copy

PAGE_SIZE = 20


def _form_or_404(slug: str) -> Form:
    if slug not in FORMS:
        raise Http404("There is no such questionnaire.")
    return FORMS[slug]


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    patient = journal_owner(request)
    context = {
        "summaries": selectors.summaries(patient=patient),
        "due": selectors.questionnaires_due(patient=patient, now=timezone.now()),
    }
    return render(request, "questionnaires/list.html", context)


@login_required
def questionnaire_fill(request: HttpRequest, slug: str) -> HttpResponse:
    patient = journal_owner(request)
    instrument = _form_or_404(slug)
    recall = slug == Instrument.WEEKLY_RECALL
    form = QuestionnaireForm(
        request.POST or None,
        form=instrument,
        symptoms=selectors.recall_symptoms(patient=patient) if recall else [],
        session=selectors.session_dose_suggested(patient=patient, at=timezone.now()),
    )
    response = service_result(
        form,
        lambda _data: services.questionnaire_response_create(
            patient=patient,
            logged_by=acting_user(request),
            instrument=slug,
            answers=form.answers(),
            difficulty=form.difficulty(),
            dose=form.dose(),
        ),
    )
    if response is not None:
        messages.success(request, f"{instrument.name} saved.")
        return redirect("questionnaires:response-detail", pk=response.pk)
    return render(request, "questionnaires/fill.html", {"form": form, "instrument": instrument})


@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = journal_owner(request)
    response = get_object_or_404(selectors.response_list(patient=patient), pk=pk)
    instrument = FORMS[response.instrument]
    context = {
        "response": response,
        "instrument": instrument,
        "red_flags": selectors.red_flags_of(response),
        "lines": _answer_lines(response, instrument),
    }
    return render(request, "questionnaires/response_detail.html", context)


def _answer_lines(response: QuestionnaireResponse, instrument: Form) -> list[tuple[str, str]]:
    """Each question with the answer given, as the patient read them."""
    if response.instrument != Instrument.WEEKLY_RECALL:
        lines = [
            (item.text, instrument.option_label(value))
            for item, value in zip(instrument.items, response.answers, strict=False)
        ]
        if instrument.difficulty and response.difficulty is not None:
            label = instrument.difficulty_options[response.difficulty].label
            lines.append((instrument.difficulty.text, label))
        return lines
    by_id = library_copy().side_effects_by_id
    lines = []
    for answer in response.answers:
        effect = by_id.get(answer["side_effect"])
        name = effect.name if effect else "A symptom no longer in the library"
        for field, question, labels in RECALL_QUESTIONS:
            lines.append((f"{name}: {question}", labels[answer[field]]))
    return lines


@login_required
def questionnaire_history(request: HttpRequest, slug: str) -> HttpResponse:
    patient = journal_owner(request)
    instrument = _form_or_404(slug)
    responses = selectors.response_list(patient=patient, instrument=slug)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "questionnaires/history.html", {"instrument": instrument, "page": page})


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    patient = journal_owner_only(request)
    form = ScheduleForm(request.POST or None, current=selectors.schedules_of(patient=patient))
    if form.is_bound and form.is_valid():
        for slug, every in form.cleaned_data.items():
            services.questionnaire_schedule_set(patient=patient, instrument=slug, every=every)
        messages.success(request, "Questionnaire schedule saved.")
        return redirect(reverse("questionnaires:list"))
    return render(request, "questionnaires/schedule.html", {"form": form})

"""Public pages of the reference library. Anyone may read them; only published content shows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reference import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/home.html", {"drugs": selectors.drug_list()})


def drug_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reference/drug_list.html", {"drugs": selectors.drug_list()})


def side_effect_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reference/side_effect_list.html", {"side_effects": selectors.side_effect_list()}
    )


def drug_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "reference/drug_detail.html", {"page": selectors.drug_page(slug=slug)})


def side_effect_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.side_effect_page(slug=slug)
    return render(request, "reference/side_effect_detail.html", {"page": page})

"""The library's version, read from the shared cache once for each request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from reference.selectors import library_version_held


class LibraryVersionMiddleware:
    """Every copy of the library a request uses is of the version read as it began."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with library_version_held():
            return self.get_response(request)

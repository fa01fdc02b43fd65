"""The API's page numbers (`DEFAULT_PAGINATION_CLASS`): in a module of its own, as DRF
reads it while its generic views are still being imported."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pagination(PageNumberPagination):
    """DRF's page numbers, 50 to a page, but `?page=` with no number is refused as any other
    page that is not a number is (404 "Invalid page."), not read as the first page."""

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        number = request.query_params.get(self.page_query_param, 1)
        return paginator.num_pages if number in self.last_page_strings else number

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.middleware import inline_style_hashes
from journal.health import health

# Swagger UI's page has one inline <style> block (box-sizing and the page background).
api_docs = csp_update({"style-src": inline_style_hashes("drf_spectacular/swagger_ui.html")})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

api_v1 = [
    path("", include("reference.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("journal.api_urls")),
    path("", include("questionnaires.api_urls")),
    path("", include("reminders.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("sharing.api_urls")),
    path("", include("audit.api_urls")),
]

urlpatterns = [
    path("", include("reference.urls")),
    path("journal/questionnaires/", include("questionnaires.urls")),
    path("journal/", include("journal.urls")),
    path("", include("reminders.urls")),  # /accounts/reminders/, /r/<token>/
    # Before reports: /journal/reports/<pk>/shares/ is sharing's, not a report file.
    path("", include("sharing.urls")),  # under /journal/, /s/, /provider/, /care/, /accounts/
    path("journal/reports/", include("reports.urls")),
    path("journal/audit/", include("audit.urls")),
    path("accounts/", include("privacy.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("accounts.auth_urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
]

admin.site.site_header = "Sidelog content"
admin.site.site_title = "Sidelog admin"
admin.site.index_title = "Reference library"

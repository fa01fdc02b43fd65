from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from journal.health import health

api_v1 = [
    path("", include("reference.api_urls")),
    path("", include("journal.api_urls")),
]

urlpatterns = [
    path("", include("reference.urls")),
    path("journal/", include("journal.urls")),
    path("s/", include("journal.share_urls")),
    path("provider/", include("journal.provider_urls")),
    path("care/", include("journal.care_urls")),
    path("accounts/", include("journal.account_urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = "Sidelog content"
admin.site.site_title = "Sidelog admin"
admin.site.index_title = "Reference library"

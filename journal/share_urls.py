"""Share links, public: anyone holding a link may open what it shares, nothing else."""

from __future__ import annotations

from django.urls import path

from journal.views import shares

urlpatterns = [
    path("<str:token>/", shares.share_open, name="share-open"),
    path("<str:token>/<str:kind>/", shares.share_download, name="share-download"),
]

"""URL map: the JSON API at the host root (the SDK's paths), pages and admin beside it."""

from django.contrib import admin
from django.urls import include, path

from labeling.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("datasets.urls")),
    path("", include("datasets.urls_media")),
    path("", api.urls),
]

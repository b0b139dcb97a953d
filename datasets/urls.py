"""Page URLs. The JSON API owns /datasets/, /samples/, /labels/, /users/, ... at the root, so pages live
under /app/ (and / is the datasets list)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from datasets import views, views_calibration

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("app/<str:owner_name>/<str:dataset_name>/", views.dataset_detail, name="dataset"),
    path(
        "app/<str:owner_name>/<str:dataset_name>/start/<str:queue>/",
        views.start_work,
        name="start-work",
    ),
    path("app/<str:owner_name>/<str:dataset_name>/assign/", views.assign_samples, name="assign-samples"),
    path("app/<str:owner_name>/<str:dataset_name>/releases/", views.create_release, name="create-release"),
    path("app/<str:owner_name>/<str:dataset_name>/import-text/", views.import_text, name="import-text"),
    path(
        "app/<str:owner_name>/<str:dataset_name>/calibration/",
        views_calibration.calibration_check,
        name="calibration-check",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/samples/<uuid:sample_uuid>/",
        views.label_editor,
        name="label-editor",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/samples/<uuid:sample_uuid>/next/",
        views.submit_next,
        name="submit-next",
    ),
]

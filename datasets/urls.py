"""Page URLs. The JSON API owns /datasets/, /samples/, /labels/, /users/, ... at the root, so pages live
under /app/ (and / is the datasets list)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from datasets import setup_views, views, views_calibration, views_history, views_imports

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The one-time "set your password" link of an account made by an admin (Django's password-reset token).
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(post_reset_login=True, success_url="/"),
        name="password_reset_confirm",
    ),
    path("app/new/", setup_views.new_dataset, name="new-dataset"),
    path("app/account/", setup_views.account_settings, name="account-settings"),
    path("app/orgs/<str:organization_name>/members/", setup_views.organization_members, name="organization-members"),
    path("app/<str:owner_name>/<str:dataset_name>/", views.dataset_detail, name="dataset"),
    path(
        "app/<str:owner_name>/<str:dataset_name>/start/<str:queue>/",
        views.start_work,
        name="start-work",
    ),
    path("app/<str:owner_name>/<str:dataset_name>/settings/", setup_views.dataset_settings, name="dataset-settings"),
    path("app/<str:owner_name>/<str:dataset_name>/archive/", setup_views.archive_dataset, name="archive-dataset"),
    path("app/<str:owner_name>/<str:dataset_name>/delete/", setup_views.remove_dataset, name="delete-dataset"),
    path("app/<str:owner_name>/<str:dataset_name>/members/", setup_views.dataset_members, name="dataset-members"),
    path("app/<str:owner_name>/<str:dataset_name>/upload/", setup_views.upload_file, name="upload-file"),
    path("app/<str:owner_name>/<str:dataset_name>/upload/samples/", setup_views.upload_samples, name="upload-samples"),
    path("app/<str:owner_name>/<str:dataset_name>/assign/", views.assign_samples, name="assign-samples"),
    path("app/<str:owner_name>/<str:dataset_name>/releases/", views.create_release, name="create-release"),
    path("app/<str:owner_name>/<str:dataset_name>/import-text/", views.import_text, name="import-text"),
    path("app/<str:owner_name>/<str:dataset_name>/import/", views_imports.import_page, name="import"),
    path(
        "app/<str:owner_name>/<str:dataset_name>/import/<slug:kind>/files/",
        views_imports.import_file,
        name="import-files",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/import/<slug:kind>/", views_imports.start_import, name="import-start"
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/imports/<uuid:import_uuid>/",
        views_imports.import_status,
        name="import-status",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/calibration/",
        views_calibration.calibration_check,
        name="calibration-check",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/calibration/status/",
        views_calibration.calibration_status,
        name="calibration-status",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/samples/<uuid:sample_uuid>/",
        views.label_editor,
        name="label-editor",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/samples/<uuid:sample_uuid>/history/",
        views_history.label_history_page,
        name="label-history",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/samples/<uuid:sample_uuid>/history/<int:version>/restore/",
        views_history.restore_label_version,
        name="restore-label-version",
    ),
    path(
        "app/<str:owner_name>/<str:dataset_name>/samples/<uuid:sample_uuid>/next/",
        views.submit_next,
        name="submit-next",
    ),
]

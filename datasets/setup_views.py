"""Pages a team lead runs a project with: new dataset, its settings, archive/delete, members (of a dataset and
of an organization), the browser upload, and the user's own settings (API keys). Thin: access helper, one
service call, render or redirect."""

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from datasets import access
from datasets.forms import SETTINGS_FLAGS, DatasetForm, MemberForm, NewUserForm
from datasets.services import collaborators, dataset_setup, people, uploads
from datasets.services.dataset_settings import add_dataset, delete_dataset
from datasets.views import page_errors
from labeling import services as accounts
from labeling.exceptions import DomainError


def _owners(user) -> list[str]:
    return [user.username, *(o.name for o in people.organizations_administered(user))]


def site_url(request: HttpRequest) -> str:
    """ "scheme://host[:port]" of the request (sample and set-password URLs are absolute)."""
    return request.build_absolute_uri("/").rstrip("/")


def _form_error(form, error: DomainError) -> None:
    form.add_error(None, error.message)


@login_required
def new_dataset(request: HttpRequest) -> HttpResponse:
    form = DatasetForm(request.POST or None, owners=_owners(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            dataset = add_dataset(request.user, organization=form.cleaned_data["owner"], **form.dataset_fields())
            return redirect("dataset", dataset.owner_name, dataset.name)
        except DomainError as error:
            _form_error(form, error)
    return render(request, "datasets/dataset_form.html", {"form": form, "task_types": form.task_type_options()})


@login_required
@page_errors
def dataset_settings(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_ADMIN)
    dataset = dataset_access.dataset
    initial = {"owner": dataset.owner_name, "task_attributes": json.dumps(dataset.task_attributes)}
    initial |= {key: getattr(dataset, key) for key in ("name", "description", "task_type", "public", *SETTINGS_FLAGS)}
    form = DatasetForm(request.POST or None, initial=initial, owners=[dataset.owner_name])
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.dataset_fields().items() if getattr(dataset, k) != v}
        try:
            dataset_setup.configure_dataset(request.user, dataset_access, changes)
            messages.success(request, "Settings saved.")
            return redirect("dataset-settings", dataset.owner_name, dataset.name)
        except DomainError as error:
            _form_error(form, error)
    context = {"form": form, "dataset": dataset, "task_types": form.task_type_options(), "editing": True}
    return render(request, "datasets/dataset_form.html", context)


@login_required
@require_POST
@page_errors
def archive_dataset(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_ADMIN)
    archived = request.POST.get("archived") == "true"
    dataset_setup.set_archived(request.user, dataset_access, archived)
    messages.success(request, "Dataset archived." if archived else "Dataset restored.")
    return redirect("dataset", owner_name, dataset_name)


@login_required
@require_POST
@page_errors
def remove_dataset(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    """Delete, confirmed by typing the dataset's name."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_ADMIN)
    if request.POST.get("confirm_name") != dataset_name:
        messages.error(request, "Type the dataset's name to confirm the deletion.")
        return redirect("dataset-settings", owner_name, dataset_name)
    delete_dataset(request.user, dataset_access)
    messages.success(request, f"Deleted {owner_name}/{dataset_name}.")
    return redirect("home")


@login_required
@page_errors
def dataset_members(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    """Collaborators: add an existing user, create a new one (shows their one-time link), change, remove."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER)
    member_form, new_user_form, link = MemberForm(prefix="member"), NewUserForm(prefix="new"), None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                new_user_form = NewUserForm(request.POST, prefix="new")
                if new_user_form.is_valid():
                    _, link = people.create_collaborator_account(
                        request.user, dataset_access, **new_user_form.cleaned_data, site_url=site_url(request)
                    )
                    link = f"{site_url(request)}{link}"
            else:
                _change_collaborator(request, dataset_access, action)
                return redirect("dataset-members", owner_name, dataset_name)
        except DomainError as error:
            messages.error(request, error.message)
    context = {
        "dataset": dataset_access.dataset,
        "collaborators": collaborators.list_collaborators(dataset_access.dataset),
        "member_form": member_form,
        "new_user_form": new_user_form,
        "password_link": link,
        "roles": accounts.ROLES,
    }
    return render(request, "datasets/members.html", context)


def _change_collaborator(request: HttpRequest, dataset_access: access.DatasetAccess, action: str | None) -> None:
    username, role = request.POST.get("username", ""), request.POST.get("role", "")
    if action == "add":
        collaborators.add_collaborator(request.user, dataset_access, username=username, role=people.check_role(role))
        messages.success(request, f"Added {username} as {role}.")
    elif action == "change":
        collaborators.update_collaborator(request.user, dataset_access, username=username, role=people.check_role(role))
        messages.success(request, f"{username} is now {role}.")
    elif action == "remove":
        collaborators.remove_collaborator(request.user, dataset_access, username=username)
        messages.success(request, f"Removed {username}.")


@login_required
@page_errors
def organization_members(request: HttpRequest, organization_name: str) -> HttpResponse:
    organization = accounts.get_organization(organization_name)
    accounts.require_organization_admin(request.user, organization)
    link = None
    if request.method == "POST":
        action, username = request.POST.get("action"), request.POST.get("username", "")
        role = request.POST.get("role", "")
        try:
            if action == "create":
                _, path = people.create_member_account(
                    request.user,
                    organization,
                    username=username,
                    email=request.POST.get("email", ""),
                    role=people.check_role(role),
                    site_url=site_url(request),
                )
                link = f"{site_url(request)}{path}"
            else:
                _change_member(request, organization, action, username, role)
                return redirect("organization-members", organization.name)
        except DomainError as error:
            messages.error(request, error.message)
    context = {
        "organization": organization,
        "members": accounts.members_of(organization),
        "password_link": link,
        "roles": accounts.ROLES,
    }
    return render(request, "datasets/organization_members.html", context)


def _change_member(request: HttpRequest, organization, action: str | None, username: str, role: str) -> None:
    if action == "add":
        accounts.add_member(request.user, organization, username=username, role=people.check_role(role))
        messages.success(request, f"Added {username} as {role}.")
    elif action == "change":
        accounts.update_member(request.user, organization, username=username, role=people.check_role(role))
        messages.success(request, f"{username} is now {role}.")
    elif action == "remove":
        people.remove_organization_member(request.user, organization, username=username)
        messages.success(request, f"Removed {username}.")


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """The user's API keys: create (the key is shown once), list, revoke."""
    new_key = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                accounts.revoke_api_key(request.user, int(request.POST.get("key_id", "0") or 0))
                messages.success(request, "API key revoked.")
            else:
                new_key = accounts.create_api_key(request.user, name=request.POST.get("name", "")[:100])
        except (DomainError, ValueError):
            messages.error(request, "No such API key.")
    context = {"api_keys": accounts.api_keys_of(request.user), "new_key": new_key}
    return render(request, "datasets/account_settings.html", context)


@login_required
@require_POST
@page_errors
def upload_file(request: HttpRequest, owner_name: str, dataset_name: str) -> JsonResponse:
    """One file of a drop (the uploader's XHR): stored as an asset, or 400 with the reason."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"detail": "The form has no file part named 'file'."}, status=400)
    file_name = cast(str, upload.name)  # Django's multipart parser drops file parts that have no file name
    try:
        asset = uploads.store_uploaded_file(
            request.user, dataset_access, upload, path=request.POST.get("relativePath") or file_name
        )
    except DomainError as error:
        errors = getattr(error, "errors", None) or []
        reason = errors[0]["message"] if errors else error.message
        return JsonResponse({"detail": error.message, "reason": reason}, status=error.status_code)
    return JsonResponse({"asset": str(asset.uuid), "path": asset.filename}, status=201)


@login_required
@require_POST
@page_errors
def upload_samples(request: HttpRequest, owner_name: str, dataset_name: str) -> JsonResponse:
    """After a drop: the stored files become samples; answers the summary (created, refused with reasons)."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER)
    try:
        body = json.loads(request.body or b"{}")
        summary = uploads.create_samples_from_uploads(
            request.user,
            dataset_access,
            [str(value) for value in body.get("assets") or []],
            site_url=site_url(request),
            text_per_line=bool(body.get("text_per_line")),
        )
    except ValueError:
        return JsonResponse({"detail": "The body must be JSON: {assets: [uuid], text_per_line: bool}."}, status=400)
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return JsonResponse(summary.as_dict())

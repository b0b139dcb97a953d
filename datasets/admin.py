import mimetypes
import secrets

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.text import get_valid_filename

from datasets.models import (
    Asset,
    Collaborator,
    Dataset,
    Issue,
    IssueComment,
    Label,
    LabelSet,
    PendingTask,
    Release,
    Sample,
    Workunit,
)
from datasets.services.datasets import create_dataset
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_task_attributes

# Set by create_dataset itself, never copied from the admin form.
_SERVICE_FIELDS = {"id", "uuid", "owner_name", "owner_user", "owner_organization", "created_by", "created_at"}


class CollaboratorInline(admin.TabularInline):
    model = Collaborator
    extra = 0
    raw_id_fields = ("user",)


class LabelSetInline(admin.TabularInline):
    model = LabelSet
    extra = 0


class DatasetAdminForm(forms.ModelForm):
    """Fills owner_name from the owner and checks the task attributes, so the service never refuses."""

    class Meta:
        model = Dataset
        fields = "__all__"  # noqa: DJ007 - the admin edits every field

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns
        owner = cleaned.get("owner_organization") or cleaned.get("owner_user")
        if owner is None:
            raise forms.ValidationError("Choose an owner user or organization.")
        if not cleaned.get("owner_name"):
            cleaned["owner_name"] = getattr(owner, "name", None) or owner.get_username()
        try:
            validate_task_attributes(cleaned.get("task_type"), cleaned.get("task_attributes"))
        except LabelFormatError as error:
            self.add_error("task_attributes", str(error))
        return cleaned


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("full_name", "task_type", "public", "archived", "created_at")
    list_filter = ("task_type", "public", "archived")
    search_fields = ("owner_name", "name")
    inlines = [CollaboratorInline, LabelSetInline]
    raw_id_fields = ("owner_user", "owner_organization", "created_by")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, form=DatasetAdminForm, **kwargs)
        if obj is None:  # owner_name follows the owner chosen
            form.base_fields["owner_name"].required = False
            form.base_fields["owner_name"].help_text = "Left empty: the owner's name."
        return form

    def save_model(self, request, obj, form, change):
        """A new dataset goes through create_dataset (which creates its ground-truth label set) like every
        other path; an edit is a plain save."""
        if change:
            return super().save_model(request, obj, form, change)
        fields = {
            field.name: getattr(obj, field.name)
            for field in Dataset._meta.concrete_fields
            if field.name not in _SERVICE_FIELDS and not field.auto_created
        }
        created = create_dataset(
            request.user,
            owner_name=obj.owner_name,
            owner_user=obj.owner_user if obj.owner_organization is None else None,
            owner_organization=obj.owner_organization,
            **fields,
        )
        # The admin goes on with `obj` (inlines, log, redirect): make it the created row.
        obj.__dict__.update({key: value for key, value in created.__dict__.items() if key != "_state"})
        obj._state.adding, obj._state.db = False, created._state.db


@admin.register(Sample)
class SampleAdmin(admin.ModelAdmin):
    list_display = ("name", "dataset", "priority", "assigned_labeler", "created_at")
    list_select_related = ("dataset", "assigned_labeler")
    search_fields = ("name", "uuid")
    raw_id_fields = ("dataset", "assigned_labeler", "assigned_reviewer", "created_by")


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("sample", "labelset", "label_status", "version", "updated_by", "updated_at")
    list_select_related = ("sample", "labelset", "updated_by")
    list_filter = ("label_status",)
    raw_id_fields = ("sample", "labelset", "created_by", "updated_by", "reviewed_by")


class IssueCommentInline(admin.TabularInline):
    model = IssueComment
    extra = 0


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("description", "sample", "status", "created_at")
    raw_id_fields = ("sample", "created_by", "updated_by")
    inlines = [IssueCommentInline]


admin.site.register(LabelSet)
admin.site.register(Collaborator)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("filename", "content_type", "size", "created_at")
    readonly_fields = ("upload_token_hash", "size", "uploaded_at")

    def save_model(self, request, obj, form, change):
        """A file uploaded here gets the same unguessable URL as the API's (assets/<128 random bits>/<name>)."""
        upload = form.cleaned_data.get("file")
        if upload and "file" in form.changed_data:
            name = f"{secrets.token_hex(16)}/{get_valid_filename(upload.name)}"
            obj.file.save(name, upload, save=False)
            obj.filename = obj.filename or upload.name
            obj.size, obj.uploaded_at = upload.size, timezone.now()
            obj.content_type = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
            obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)


admin.site.register(Release)
admin.site.register(Workunit)


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    """Tasks waiting in the outbox for the broker (docs/outbox.md): normally none for more than a few seconds."""

    list_display = ("task_name", "args", "created_at", "attempts", "last_error")
    list_filter = ("task_name",)
    readonly_fields = ("task_name", "args", "created_at", "attempts", "last_error")

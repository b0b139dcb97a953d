from django.contrib import admin

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


class CollaboratorInline(admin.TabularInline):
    model = Collaborator
    extra = 0
    raw_id_fields = ("user",)


class LabelSetInline(admin.TabularInline):
    model = LabelSet
    extra = 0


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("full_name", "task_type", "public", "archived", "created_at")
    list_filter = ("task_type", "public", "archived")
    search_fields = ("owner_name", "name")
    inlines = [CollaboratorInline, LabelSetInline]


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
admin.site.register(Asset)
admin.site.register(Release)
admin.site.register(Workunit)


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    """Tasks waiting in the outbox for the broker (docs/outbox.md): normally none for more than a few seconds."""

    list_display = ("task_name", "args", "created_at", "attempts", "last_error")
    list_filter = ("task_name",)
    readonly_fields = ("task_name", "args", "created_at", "attempts", "last_error")

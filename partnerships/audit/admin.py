"""The audit trail in the admin: readable, never editable or deletable."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import AuditEntry
from . import labels


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["seq", "at", "actor", "ip_address", "what", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action", "actor__email"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    @admin.display(description=_("action"), ordering="action")
    def what(self, entry):
        return labels.action_label(entry.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

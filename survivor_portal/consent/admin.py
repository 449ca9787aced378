from django.contrib import admin

from survivor_portal.admin_site import ModelAdmin
from survivor_portal.consent.models import AccessEvent, ConsentGrant


class ReadOnly(ModelAdmin):
    """Receipts and access records are evidence: nobody edits or deletes them here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsentGrant)
class ConsentGrantAdmin(ReadOnly):
    list_display = ["agency", "starts_at", "expires_at", "ended_at", "end_reason"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnly):
    list_display = ["agency", "actor_label", "what", "via", "at"]
    sortable_by = ["agency", "what", "via", "at"]  # actor_label is sealed: SQL cannot sort it

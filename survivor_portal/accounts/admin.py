from django.contrib import admin

from survivor_portal.accounts.models import Agency, Invite, User
from survivor_portal.admin_site import ModelAdmin


@admin.register(Agency)
class AgencyAdmin(ModelAdmin):
    list_display = ["name", "kind", "time_zone"]


@admin.register(User)
class UserAdmin(ModelAdmin):
    list_display = ["username", "display_name", "role", "agency", "is_active"]
    list_filter = ["role", "agency"]
    # Display names are sealed in the database: SQL can neither search nor sort them.
    search_fields = ["username"]
    sortable_by = ["username", "role", "agency", "is_active"]
    exclude = ["password", "user_permissions", "groups"]
    # People join with an invite and pick their own username (checked for look-alikes there).
    readonly_fields = ["username"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Invite)
class InviteAdmin(ModelAdmin):
    list_display = ["agency", "role", "created_at", "expires_at", "used_at"]
    readonly_fields = ["code_hash"]

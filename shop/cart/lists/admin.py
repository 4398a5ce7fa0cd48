"""Saved lists in the admin, to read only: a manager helping a buyer sees their lists but
never changes them (the buyer's own pages do that)."""

from django.contrib import admin

from .models import SavedList, SavedListLine


class SavedListLineInline(admin.TabularInline):
    model = SavedListLine
    fields = ("product", "quantity", "note", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SavedList)
class SavedListAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "shared_with_company", "updated_at")
    list_select_related = ("owner", "shared_with_company")
    search_fields = ("name", "owner__email")
    readonly_fields = ("owner", "name", "shared_with_company", "created_at", "updated_at")
    fields = readonly_fields
    inlines = [SavedListLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["partnership", "kind", "version", "status", "verification_code", "created_at"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["verification_code", "sha256", "partnership__title", "partnership__reference"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from partnerships import gates
from partnerships.admin import SignedContentAdminMixin
from partnerships.models import Partnership

from .models import Risk, RiskReview


class RiskReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    fields = ["reviewed_on", "kind", "reviewer", "likelihood", "impact", "score", "status", "note"]
    readonly_fields = ["score"]
    raw_id_fields = ["reviewer"]


@admin.register(Risk)
class RiskAdmin(SignedContentAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "partnership",
        "category",
        "likelihood",
        "impact",
        "score",
        "owner",
        "status",
        "next_review_on",
    ]
    list_filter = ["status", "category", "phase_identified", "partnership__phase"]
    search_fields = ["title", "description", "partnership__title", "partnership__reference"]
    list_select_related = ["partnership", "owner__organisation"]
    readonly_fields = ["score", "created_at", "updated_at"]
    raw_id_fields = ["partnership", "owner"]
    ordering = ["-score"]
    date_hierarchy = "next_review_on"
    inlines = [RiskReviewInline]

    def get_readonly_fields(self, request, obj=None):
        # A risk stays in the register it was raised in; an agreed one as it was signed.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "partnership"] if obj else fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Owned risks are part of the agreed content: changed here they count like anywhere
        # else (an open sign-off revalidated, a signed agreement's change audited as this
        # person's).
        gates.agreed_content_saved(partnership=form.instance.partnership, by=request.user)

    def delete_model(self, request, obj):
        partnership = obj.partnership
        super().delete_model(request, obj)
        gates.agreed_content_saved(partnership=partnership, by=request.user)

    def delete_queryset(self, request, queryset):
        partnerships = set(queryset.values_list("partnership_id", flat=True))
        super().delete_queryset(request, queryset)
        for partnership in Partnership.objects.filter(pk__in=partnerships):
            gates.agreed_content_saved(partnership=partnership, by=request.user)

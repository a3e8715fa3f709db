from django.contrib import admin

from .models import Risk, RiskReview


class RiskReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    fields = ["reviewed_on", "kind", "reviewer", "likelihood", "impact", "score", "status", "note"]
    readonly_fields = ["score"]
    raw_id_fields = ["reviewer"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
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

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AssessmentDue, CalendarFeed, Reminder, Status


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "partnership",
        "recipient",
        "due_on",
        "occasion",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "kind", "occasion", "due_on")
    search_fields = ("recipient__email", "recipient__full_name", "partnership__title", "last_error")
    date_hierarchy = "created_at"
    list_select_related = ("partnership", "recipient")
    raw_id_fields = ("partnership", "recipient", "notification")
    readonly_fields = [f.name for f in Reminder._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Retry the selected failed reminders"))
    def retry(self, request, queryset):
        from .tasks import send_reminder

        ids = list(queryset.filter(status=Status.FAILED).values_list("pk", flat=True))
        count = services.reminder_retry(reminder_ids=ids)
        for pk in ids:
            send_reminder.delay(pk)
        self.message_user(
            request, _("%(n)d reminders queued again.") % {"n": count}, messages.SUCCESS
        )

    def has_add_permission(self, request):
        return False


@admin.register(AssessmentDue)
class AssessmentDueAdmin(admin.ModelAdmin):
    list_display = ("partnership", "due_on", "done")
    list_filter = ("done", "due_on")
    search_fields = ("partnership__title", "partnership__reference")
    raw_id_fields = ("partnership",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__email",)
    exclude = ("token",)
    raw_id_fields = ("user",)

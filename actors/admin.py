from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Capacity, ContactPerson, Notification, Organisation, User


class CapacityInline(admin.TabularInline):
    model = Capacity
    extra = 0


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "sector", "level", "country", "territory"]
    list_filter = ["sector", "level", "country"]
    # The search keys: "caritas" finds "Cáritas" (the admin does not normalise what is typed,
    # but text typed without accents is its own key, up to case).
    search_fields = [
        "name",
        "acronym",
        "territory",
        "description",
        "iati_identifier",
        "name_key",
        "acronym_key",
        "territory_key",
    ]
    inlines = [CapacityInline, ContactPersonInline]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Capacity)
class CapacityAdmin(admin.ModelAdmin):
    list_display = ["description", "area", "organisation"]
    list_filter = ["area", "organisation__sector"]
    search_fields = ["description", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "organisation", "email", "phone", "is_key_leader"]
    list_filter = ["is_key_leader", "organisation__sector"]
    search_fields = ["name", "position", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["email", "full_name", "organisation", "role"]


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["full_name"]
    list_display = ["email", "full_name", "organisation", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser", "language"]
    search_fields = ["email", "full_name", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {
                "fields": [
                    "full_name",
                    "organisation",
                    "role",
                    "position",
                    "language",
                    "email_preference",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "organisation",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        )
    ]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["title", "body", "recipient__email", "recipient__full_name"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"

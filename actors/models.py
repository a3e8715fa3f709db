"""Organisations that take part in partnerships, the people in them, and their capacities."""

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .text import normalise, search_key


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")
    INTERNATIONAL = "international", _("International cooperation")
    MEDIA = "media", _("Media")
    COMMUNITY = "community", _("Community")


class Level(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class SearchKeyed(models.Model):
    """A model with search keys: ``search_keys`` maps each key column to the fields it is made
    of (``text.search_key``), kept by ``save()`` (adding the keys to ``update_fields`` when
    their fields are there) and by ``SearchKeyedQuerySet.bulk_create()``. Searches compare a
    key with ``normalise(typed text)``: case, accents and extra spaces do not matter."""

    search_keys: dict[str, tuple[str, ...]] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.set_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            keys = [k for k, fields in self.search_keys.items() if set(fields) & set(update_fields)]
            kwargs["update_fields"] = [*update_fields, *keys]
        super().save(*args, **kwargs)

    def set_search_keys(self) -> None:
        for key, fields in self.search_keys.items():
            setattr(self, key, search_key(*(getattr(self, f) for f in fields)))


class SearchKeyedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.set_search_keys()  # save() is bypassed
        return super().bulk_create(objs, *args, **kwargs)


class OrganisationQuerySet(SearchKeyedQuerySet):
    """Searches compare the search key columns with ``normalise(text)``: case, accents and
    extra spaces do not matter ("caritas del peru" finds "Cáritas del Perú")."""

    def search(self, text: str):
        key = normalise(text)
        if not key:
            return self
        return self.filter(
            Q(name_key__contains=key)
            | Q(acronym_key__contains=key)
            | Q(territory_key__contains=key)
        )

    def suggest(self, text: str):
        """Organisations whose name or acronym contains ``text``, for a picker: exact names and
        acronyms first, then names that start with it, then the rest by name. Callers slice."""
        key = normalise(text)
        if not key:
            return self.none()
        rank = models.Case(
            models.When(Q(name_key=key) | Q(acronym_key=key), then=0),
            models.When(name_key__startswith=key, then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return (
            self.filter(Q(name_key__contains=key) | Q(acronym_key__contains=key))
            .annotate(suggest_rank=rank)
            .order_by("suggest_rank", "name", "pk")
        )

    def named(self, text: str):
        """Organisations a typed name may stand for, best first: the name spelt exactly, the
        name up to case, accents and spaces, then the acronym (``named_rank`` 0, 1, 2).
        Callers slice."""
        text = text.strip()
        key = normalise(text)
        if not key:
            return self.none()
        rank = models.Case(
            models.When(name=text, then=0),
            models.When(name_key=key, then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return (
            self.filter(Q(name_key=key) | Q(acronym_key=key))
            .annotate(named_rank=rank)
            .order_by("named_rank", "name", "pk")
        )


class Organisation(SearchKeyed, TimeStampedModel):
    """An actor: a public body, company, NGO, university, donor, medium or community."""

    # What people write about an organisation, in this order: its form, the API, the import.
    EDITABLE_FIELDS = (
        "name",
        "acronym",
        "sector",
        "subtype",
        "level",
        "country",
        "territory",
        "website",
        "description",
        "interests",
        "csr_topics",
        "partnership_experience",
        "iati_identifier",
    )

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    subtype = models.CharField(
        _("subtype"),
        max_length=100,
        blank=True,
        help_text=_("For example ministry, regulator, NGO, chamber, university, bilateral agency."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    country = CountryField(_("country"))
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    csr_topics = models.TextField(_("CSR topics"), blank=True)
    partnership_experience = models.TextField(_("previous partnership experience"), blank=True)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"), max_length=100, blank=True
    )
    # normalise(name), normalise(acronym), normalise(territory): what the searches compare
    # (SearchKeyed); text, as unfolding may lengthen.
    name_key = models.TextField(_("name search key"), blank=True, editable=False)
    acronym_key = models.TextField(_("acronym search key"), blank=True, editable=False)
    territory_key = models.TextField(_("territory search key"), blank=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    search_keys = {
        "name_key": ("name",),
        "acronym_key": ("acronym",),
        "territory_key": ("territory",),
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["sector", "country"]),
            # named() looks names and acronyms up by equality; the pattern operator class lets a
            # prefix match (name_key__startswith) use the index too, whatever the collation.
            models.Index(
                fields=["name_key"], name="organisation_name_key", opclasses=["text_pattern_ops"]
            ),
            models.Index(fields=["acronym_key"], name="organisation_acronym_key"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actors:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.sector == Sector.PUBLIC


class CapacityArea(models.TextChoices):
    FINANCIAL = "financial", _("Financial resources")
    TECHNICAL = "technical", _("Technical expertise")
    KNOWLEDGE = "knowledge", _("Knowledge and research")
    TERRITORIAL = "territorial", _("Territorial presence")
    COMMUNITY = "community", _("Community relations")
    POLITICAL = "political", _("Political and regulatory")
    LOGISTICS = "logistics", _("Logistics and infrastructure")
    COMMUNICATION = "communication", _("Communication")


class CapacityQuerySet(models.QuerySet):
    def search(self, text: str = "", area: str = ""):
        qs = self.select_related("organisation")
        if area:
            qs = qs.filter(area=area)
        if text:
            match = Q(description__icontains=text)
            if key := normalise(text):
                match |= Q(organisation__name_key__contains=key)
            qs = qs.filter(match)
        return qs


class Capacity(models.Model):
    """One thing an actor can bring; searched across all actors as the capacity catalogue."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="capacities"
    )
    area = models.CharField(_("area"), max_length=20, choices=CapacityArea.choices)
    description = models.CharField(_("description"), max_length=300)

    objects = CapacityQuerySet.as_manager()

    class Meta:
        ordering = ["area", "description"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")

    def __str__(self):
        return f"{self.get_area_display()}: {self.description}"


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_key_leader = models.BooleanField(_("key leader"), default=False)

    class Meta:
        ordering = ["-is_key_leader", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    OFFICIAL = "official", _("Public official")
    PARTNER = "partner", _("Partner representative")
    DONOR = "donor", _("Donor")
    ADMINISTRATOR = "administrator", _("Administrator")


class EmailPreference(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMINISTRATOR)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their email; belongs to one organisation and has one role."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    position = models.CharField(_("position"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=[("en", "English"), ("es", "Español")], default="en"
    )
    email_preference = models.CharField(
        _("emails"),
        max_length=10,
        choices=EmailPreference.choices,
        default=EmailPreference.IMMEDIATE,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def not_emailed(self):
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """An in-app notice to one person; emails are sent alongside by the notify service."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # When it went out by email (alone or in a digest); empty until then.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_not_emailed",
            ),
        ]

    def __str__(self):
        return self.title

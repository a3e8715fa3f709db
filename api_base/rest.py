"""Plumbing every API endpoint shares: one error shape, pagination, search, schema defaults.

No business rules here: the apps' viewsets decide what a user may see and do.
"""

import copy
import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    """What every error response carries."""

    detail = serializers.CharField(help_text=gettext_lazy("What went wrong, in one sentence."))
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("Every reason, in plain words (the blockers of a transition)."),
    )
    errors = serializers.JSONField(
        required=False,
        help_text=gettext_lazy("Validation errors by field, as submitted."),
    )


class Conflict(exceptions.APIException):
    """The request is valid but the current state refuses it (a blocked transition, say)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The current state does not allow this.")
    default_code = "conflict"

    def __init__(self, reasons, detail=None):
        self.reasons = [str(r) for r in reasons]
        super().__init__(detail or self.default_detail)


def _flatten(errors, prefix="") -> list[str]:
    if isinstance(errors, dict):
        out = []
        for key, value in errors.items():
            label = "" if key == "non_field_errors" else f"{prefix}{key}"
            out.extend(_flatten(value, f"{label}." if label else ""))
        return out
    if isinstance(errors, list):
        out = []
        for i, value in enumerate(errors):
            if isinstance(value, dict | list):
                out.extend(_flatten(value, f"{prefix}{i}."))
            else:
                out.extend(_flatten(value, prefix))
        return out
    where = prefix.rstrip(".")
    return [f"{where}: {errors}" if where else str(errors)]


def exception_handler(exc, context):
    """DRF's handler, with Django's own errors mapped and one JSON shape for every error."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict([_("Other records still refer to this one; remove them first.")])
    elif isinstance(exc, IntegrityError):
        exc = Conflict([_("This conflicts with data already recorded.")])
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # A service's refusal says why; keep it.
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        body = {"detail": _("Invalid input."), "reasons": _flatten(errors), "errors": errors}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        detail = str(detail or exc)
        body = {"detail": detail, "reasons": getattr(exc, "reasons", None) or [detail]}
    response.data = body
    return response


class DateTimeField(serializers.DateTimeField):
    """DRF's date-time, always valid RFC 3339 (what OpenAPI's ``date-time`` means).

    DRF writes the offset of the current time zone, and Python writes an offset with seconds
    when the zone had one then: Lima's local mean time before 1908 (``-05:08:36``; older
    time-zone data say ``-05:08:12``). RFC 3339
    offsets are whole minutes, so such a value is written in UTC (``Z``) instead; every other
    value keeps the local offset it had."""

    def enforce_timezone(self, value):
        value = super().enforce_timezone(value)
        offset = value.utcoffset() if timezone.is_aware(value) else None
        if offset is not None and offset % datetime.timedelta(minutes=1):
            return value.astimezone(datetime.UTC)
        return value


class ModelSerializer(serializers.ModelSerializer):
    """Every API model serializer: date-times as RFC 3339 (``DateTimeField``)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: DateTimeField,
    }


class ValidatedModelSerializer(ModelSerializer):
    # Runs the model's own rules (``clean()``, which the page forms run too) and its database
    # constraints (checks, uniques) before saving, so a violation is a 400 with a reason rather
    # than a database error. (A comment, not a docstring: the schema would show it on every
    # model.)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        # A copy (Django copies the related-object cache too): the real instance changes only
        # when the view saves, after every check passed.
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {f.name for f in model._meta.concrete_fields}
        for key, value in attrs.items():
            if key in concrete:
                setattr(instance, key, value)
        try:
            instance.clean()
            instance.validate_constraints()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc))
        return attrs


ERROR_CODES = {
    "400": gettext_lazy("Invalid input: the reasons say which field and why."),
    "401": gettext_lazy("Not authenticated: log in or send `Authorization: Token <key>`."),
    "403": gettext_lazy("Authenticated, but this user may not do this."),
    "404": gettext_lazy("Not found, or not visible to this user."),
    "409": gettext_lazy("Refused by the current state: the reasons say why."),
}


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents the error responses it can give, with the shared shape;
    decimals are described by a pattern that needs a digit (drf-spectacular's also matched ""
    and ".", which the API refuses)."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        # An operation without authentication (the token) refuses nobody for who they are.
        skip = set() if self.view.get_authenticators() else {"401", "403"}
        for code, description in ERROR_CODES.items():
            if code not in bodies and code not in skip:
                bodies[code] = self._get_response_for_code(
                    _described(description), code, media_types=["application/json"]
                )
        return bodies

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field.max_whole_digits, field.decimal_places)
        return schema


def decimal_pattern(whole: int, places: int) -> str:
    """A decimal as text with at most ``whole`` digits before the point and ``places`` after,
    and at least one digit: "12", "12.5", "12.", ".5", "-3" (DRF reads each), not "" or "."."""
    if not places:
        return rf"^-?\d{{1,{whole}}}$"
    digits = rf"\d{{1,{whole}}}" if whole else "0"
    digits += rf"(?:\.\d{{0,{places}}})?"
    return rf"^-?(?:{digits}|\.\d{{1,{places}}})$"


def _described(description):
    from drf_spectacular.utils import OpenApiResponse

    return OpenApiResponse(response=ErrorSerializer, description=str(description))


def error_response(status_code: int, detail: str, reasons=None) -> Response:
    return Response({"detail": detail, "reasons": reasons or [detail]}, status=status_code)

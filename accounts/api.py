"""``POST /api/token/``: a personal token for email + password (+ the second factor's code
when the person has one). Rate-limited per address (every attempt) and per account (failures)."""

from allauth.account.adapter import get_adapter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from actors import credentials, ratelimits
from api_base.rest import ErrorSerializer

from .policy import lacks_required_second_factor
from .tokens import api_token_create


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("The authenticator app's code (or a recovery code), if enrolled."),
    )
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


throttled = ratelimits.api_refusal
TOO_MANY = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy("Too many attempts: Retry-After says how many seconds to wait."),
)


class ObtainTokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary=gettext_lazy("Get a personal API token (it expires; see the Security page)"),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 429: TOO_MANY},
        operation_id="token_create",
    )
    def post(self, request):
        try:
            ratelimits.hit(request, "api_token")
        except ratelimits.RateLimited as limited:
            raise throttled(limited)
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        email = data["email"].lower()
        try:
            usage = ratelimits.hit(request, "api_token_failed", key=email)
            user = get_adapter(request).authenticate(
                request._request, email=email, password=data["password"]
            )
        except ratelimits.RateLimited as limited:
            raise throttled(limited)
        except credentials.LoginRateLimited as limited:
            raise throttled(ratelimits.RateLimited(limited.retry_after))
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with these credentials.")]}
            )
        if lacks_required_second_factor(user):
            raise exceptions.PermissionDenied(
                _("Your role needs a second factor: set one up on the Security page first.")
            )
        try:
            errors = credentials.check_second_factor(request._request, user, data["code"])
        except ratelimits.RateLimited as limited:
            raise throttled(limited)
        if errors:
            raise exceptions.ValidationError(errors)
        usage.rollback()
        token, key = api_token_create(user=user, name=data["name"] or _("API token"))
        return Response({"token": key, "name": token.name, "expires_at": token.expires_at})

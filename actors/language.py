"""A person's language follows them: the profile's language applies on every page unless the
browser chose another with the switcher, and the switcher saves the choice to the profile."""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language


class UserLanguageMiddleware:
    """After authentication: activate the profile's language when no language cookie says
    otherwise (LocaleMiddleware has only seen the browser's Accept-Language by then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user is not None and user.is_authenticated and not cookie and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def set_language(request):
    """Django's switcher, which also remembers the choice on the person's profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response

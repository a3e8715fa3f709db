"""Notifications, preferences and the private calendar feed.

Every page is the signed-in user's own: notices are looked up through ``request.user``; the feed
needs no session but its secret must match (compared in constant time).
"""

import hmac

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from actors.links import absolute_url

from . import services
from .calendar import feed_for
from .forms import PreferencesForm
from .models import CalendarFeed


def _back(request, default="reminders:notifications"):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_GET
def notifications(request):
    qs = request.user.notifications.all()
    if request.GET.get("unread") == "1":
        qs = qs.unread()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/notification_list.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "only_unread": request.GET.get("unread") == "1",
        },
    )


@login_required
@require_POST
def mark_read(request, pk):
    if not request.user.notifications.filter(pk=pk).exists():
        raise Http404
    services.notification_mark_read(user=request.user, notification_id=pk)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": count})
    return _back(request)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect("reminders:preferences")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    # Pasted into a calendar program: the public address, not the one this request came by.
    feed_url = absolute_url(feed.get_absolute_url()) if feed else ""
    return render(
        request, "reminders/preferences.html", {"form": form, "feed": feed, "feed_url": feed_url}
    )


@login_required
@require_POST
def calendar_regenerate(request):
    services.calendar_feed_regenerate(user=request.user)
    messages.success(
        request, _("Your calendar has a new private address; the old one no longer works.")
    )
    return redirect("reminders:preferences")


@login_required
@require_POST
def calendar_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address no longer works."))
    return redirect("reminders:preferences")


@require_GET
def calendar_feed(request, pk, token):
    feed = CalendarFeed.objects.select_related("user").filter(pk=pk).first()
    if (
        feed is None
        or not hmac.compare_digest(feed.token.encode(), token.encode())
        or not feed.user.is_active
    ):
        raise Http404
    response = HttpResponse(feed_for(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="alianza.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response

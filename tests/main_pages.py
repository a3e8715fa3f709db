"""The main pages of every role on the demo data: axe-core (tests/e2e/test_pages_accessible.py)
and the Nu HTML Checker (tests/test_html_valid.py) go over the same list."""

from partnerships.models import GateRequest, Partnership, Phase

ROLES = ("facilitator", "official", "partner", "donor", "admin")


def public_pages() -> list[str]:
    urls = ["/accounts/login/", "/accounts/password/reset/", "/public/", "/verify/"]
    published = Partnership.objects.filter(is_published=True).first()
    if published:
        urls.append(f"/public/{published.reference}/")
    return urls


def pages_for(user) -> list[str]:
    visible = Partnership.objects.visible_to(user).order_by("pk")
    urls = [
        "/",
        "/partnerships/",
        "/partnerships/?phase=operation",
        "/partnerships/gates/mine/",
        "/risks/",
        "/reminders/notifications/",
        "/reminders/preferences/",
        "/actors/",
        "/actors/capacities/",
        "/accounts/security/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ]
    if user.is_administrator or user.role == "facilitator":
        urls += ["/accounts/invitations/", "/accounts/invitations/new/"]
    for p in visible[:3]:
        urls += [
            f"/partnerships/{p.pk}/",
            f"/partnerships/{p.pk}/documents/",
            f"/partnerships/{p.pk}/risks/",
            f"/partnerships/{p.pk}/interest/",
            f"/partnerships/{p.pk}/design/",
        ]
    # The forms that name an organisation with the picker, where they are open: before signing.
    for p in visible.filter(phase__in=(Phase.INTEREST, Phase.DESIGN))[:1]:
        urls += [f"/partnerships/{p.pk}/members/add/", f"/partnerships/{p.pk}/candidates/"]
    gate = GateRequest.objects.filter(partnership__in=visible).order_by("-pk").first()
    if gate:
        urls.append(f"/partnerships/gates/{gate.pk}/")
        urls.append(f"/partnerships/{gate.partnership_id}/gates/request/")
    return urls


def phase_pages(user) -> list[str]:
    """One partnership in each later phase the user sees: pages the main list leaves out (the
    assessment with its health check, the closure)."""
    urls = []
    visible = Partnership.objects.visible_to(user)
    for phase in (Phase.OPERATION, Phase.ASSESSMENT, Phase.CLOSURE):
        for p in visible.filter(phase=phase).order_by("pk")[:2]:
            urls.append(f"/partnerships/{p.pk}/{phase}/")
    return urls

def notifications(request):
    """The unread count shown in the navigation bar; one COUNT query per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: user.notifications.unread().count()}

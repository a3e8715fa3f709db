"""``{% load texts %}``: ``{{ stored|translated }}`` renders a message kept by
``actors.deferred`` (a history line, an audit entry's changes) in the reader's language; plain
text stays as it is."""

from django import template

from actors.deferred import render

register = template.Library()


@register.filter
def translated(value) -> str:
    return render(value)

from django import template

from ..agreement.diff import describe

register = template.Library()


@register.filter
def described(value) -> str:
    """A value of the agreed content on one line (a member, an indicator: its fields)."""
    return describe(value)

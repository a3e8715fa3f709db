"""``{% load numbers %}``: ``{{ x|amount:currency }}``, ``{{ x|figure:currency }}``,
``{{ x|quantity }}``, ``{{ x|percent }}`` (see ``actors.numbers``)."""

from django import template

from actors import numbers

register = template.Library()

register.filter("amount", numbers.amount, is_safe=True)
register.filter("figure", numbers.figure, is_safe=True)
register.filter("quantity", numbers.quantity, is_safe=True)
register.filter("percent", numbers.percent, is_safe=True)

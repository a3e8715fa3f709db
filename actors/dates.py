"""The dates Alianza accepts, on every path (pages, API, admin): the years in which a
partnership's plans, records and reviews can fall. A date outside them is a slip of the keyboard
(year 698 for 1998, 20266 for 2026) that would otherwise be stored and shown for good; before
1908 the time zone of Lima still had a local-mean-time offset (-05:08:36), which RFC 3339 cannot
write (``api_base.rest.DateTimeField`` copes with such values all the same).

Model fields carry ``validate_sensible_date`` (so model forms, the admin and the API's model
serializers check it); forms and services that take a date without a model field call it too."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_DAY = datetime.date(1950, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def validate_sensible_date(value: datetime.date | datetime.datetime) -> None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_DAY.year, "last": LAST_DAY.year},
        )

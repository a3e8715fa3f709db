"""Spanish numbers as CLDR writes them (3.920.000,50), the same as ``actors.numbers`` (Babel):
Django's own Spanish formats group with a no-break space, and one page must not mix the two.
Dates and everything else stay Django's Spanish formats."""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

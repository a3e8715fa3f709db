"""English formats for an international audience: day before month, month in letters or ISO
dates, 24-hour clock, so that 11/12/2026 never has to be guessed. Spanish keeps Django's own
formats (dd/mm/yyyy)."""

DATE_FORMAT = "j M Y"  # 15 Nov 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"  # 15 Nov 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"  # 2026-11-15
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# What people may type in a date field: ISO first (what <input type=date> sends), then day
# first; never month first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

"""Text made safe for each export format, at the export boundary: one function per format, which
every writer of that format applies to every text and attribute value it writes.

People may type, paste or send through the API any Unicode (a measurement note with U+FFFE, an
organisation identifier with U+0001): the database keeps it as given, and each format drops
what it cannot carry instead of failing for everybody who can see the record.

- ``xml_text``: XML 1.0 carries only the characters of its ``Char`` production (tab, line feed,
  carriage return, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF): no other C0 control, no
  U+FFFE or U+FFFF, no lone surrogate. The IATI files use it, and so does XLSX, which is XML.
- ``xlsx_text``: a cell's text (``xml_text``; the writer also marks every text cell a string,
  so nothing typed is ever run as a formula).
- ``csv_text``: a CSV cell, read by spreadsheet programs: the same characters as XLSX, and a
  leading ``= + - @``, tab or carriage return neutralised with an apostrophe (formula injection).
- ``ical_text``: an iCalendar TEXT value (RFC 5545): no control character but tab and line
  breaks (which the library escapes), nor what XML refuses (calendar programs convert to XML).
"""

import re

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_ICAL = re.compile("[\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_text(value) -> str:
    """``value`` as text an XML 1.0 document can carry (as element text or attribute)."""
    return _NOT_XML.sub("", str(value if value is not None else ""))


def xlsx_text(value) -> str:
    return xml_text(value)


def csv_text(value) -> str:
    text = xml_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def ical_text(value) -> str:
    # The library escapes line feeds; a carriage return of its own would end the content line.
    text = xml_text(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_ICAL.sub("", text)


_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def attachment_name(name: str) -> str:
    """A download's file name safe for the Content-Disposition header: letters, digits, dot,
    dash and underscore; anything else (a newline, a quote, a character of another script in a
    reference changed in the admin) becomes "-", so no text can break the header."""
    return _UNSAFE_IN_FILENAME.sub("-", name).strip("-.") or "download"

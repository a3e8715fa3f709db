"""Text as people type it into a search box: without case, accents or extra spaces."""

import unicodedata


def normalise(text: str) -> str:
    """``text`` casefolded, its accents and other combining marks removed and its whitespace
    collapsed: "  Cáritas   del PERÚ " -> "caritas del peru".

    The tilde goes too ("Ñuñoa" -> "nunoa"): people on keyboards without "ñ" type "n", and a
    search that finds a little more is better than one that misses. Compatibility forms are
    unfolded (NFKD: "ﬁ" -> "fi", a non-breaking space -> a space). The search key columns store
    this and the searches apply it to what is typed, so both sides always agree."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def search_key(*texts: str | None) -> str:
    """The stored key of one or more fields: each normalised, one per line. What is typed never
    holds a line break (``normalise`` collapses it), so a match stays inside one field."""
    return "\n".join(normalise(text or "") for text in texts)

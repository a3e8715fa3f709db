"""Does a page, an email or a PDF show English interface strings? Compares every visible text
(text nodes and the accessible names in attributes; the lines of an email or of a PDF's text)
with the English messages of the catalogue that Spanish translates differently: whole messages
("Request sign-off"), and messages with placeholders matched around the values put in them
("Signed off by Olga Oficial (gate request #12).")."""

import gettext
import re
from functools import cache
from html.parser import HTMLParser

from django.conf import settings

# Texts the same in both languages or proper names (not interface strings to translate).
_SAME = {"Alianza", "Email", "PDF", "IATI", "SDG", "ODS"}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _catalogue() -> dict:
    mo = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.mo"
    with open(mo, "rb") as fh:
        return gettext.GNUTranslations(fh)._catalog


def _entries():
    for msgid, msgstr in _catalogue().items():
        if isinstance(msgid, tuple):  # plural forms: (msgid, n)
            msgid = msgid[0]
        msgid = msgid.split("\x04")[-1]  # msgctxt
        if msgid and msgstr and msgstr.strip() != msgid.strip():
            yield msgid.strip(), msgstr


@cache
def english_messages() -> frozenset[str]:
    return frozenset(
        msgid
        for msgid, _ in _entries()
        if "%" not in msgid and "{" not in msgid and msgid not in _SAME
    )


@cache
def english_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Messages with placeholders, as patterns: each placeholder matches the value put in it.
    Only messages with a word of their own that the Spanish translation does not share, so that
    "%(n)s PDF" or a bare "%(a)s · %(b)s" never match Spanish text."""
    patterns = {}
    for msgid, msgstr in _entries():
        if not _PLACEHOLDER.search(msgid) or "{" in msgid:
            continue
        literal = _PLACEHOLDER.split(msgid.replace("%%", "%"))
        english = {w.lower() for part in literal for w in _WORD.findall(part)}
        spanish = {w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", msgstr))}
        if not english - spanish - {w.lower() for w in _SAME}:
            continue
        # A part that ends or starts with a space keeps it (it separates words).
        body = r".+?".join(
            (r"\s+" if part[:1].isspace() else "")
            + r"\s+".join(map(re.escape, part.split()))
            + (r"\s+" if part[-1:].isspace() and part.strip() else "")
            for part in literal
        )
        patterns[msgid] = re.compile(rf"(?<!\w){body}(?!\w)" if body else "(?!)")
    return tuple(patterns.items())


def english_in(texts) -> list[str]:
    """The texts that are (or contain, with its values) an English message."""
    english = english_messages()
    found = []
    for text in texts:
        text = " ".join(str(text).split())
        if not text:
            continue
        bare = re.sub(r"^(?:\d+(?:\.\d+)*\.?|[-•–·*])\s+", "", text)
        candidates = {text, bare, text.rstrip(":").strip(), bare.rstrip(":").strip()}
        candidates |= {c.strip("←→›·").strip() for c in list(candidates)}
        if candidates & english:
            found.append(text)
            continue
        for msgid, pattern in english_patterns():
            if pattern.search(text):
                found.append(f"{text}  [{msgid}]")
                break
    return sorted(set(found))


# ----- where the texts come from ---------------------------------------------------------------

_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, #language-select, [lang]:not(html)')) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  document.querySelectorAll('[aria-label], [placeholder], [title], input[type=submit]')
    .forEach(el => ['aria-label', 'placeholder', 'title', 'value'].forEach(a => {
      const v = a === 'value' && el.type !== 'submit' ? null : el.getAttribute(a);
      if (v) out.push(v.trim());
    }));
  out.push(document.title.split(' · ')[0].trim());
  return out;
}"""


def english_on(page) -> list[str]:
    """English on a page open in the browser (Playwright)."""
    return english_in(page.evaluate(_TEXTS))


class _Texts(HTMLParser):
    """The same texts as ``_TEXTS``, from HTML without a browser (test client, emails)."""

    SKIP = {"script", "style", "template", "head"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = (
            tag in self.SKIP
            or (tag != "html" and "lang" in attrs)
            or attrs.get("id") == "language-select"
            or bool(self.stack and self.stack[-1])
        )
        for name in ("aria-label", "placeholder", "title"):
            if attrs.get(name) and not hidden:
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") == "submit" and attrs.get("value"):
            self.texts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.texts.append(data)


def html_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def english_in_html(html: str) -> list[str]:
    return english_in(html_texts(html))


def english_in_lines(text: str) -> list[str]:
    """English in plain text (an email body, a PDF's text): each line, and each paragraph
    (lines joined) for sentences that wrap."""
    lines = [line for line in text.splitlines() if line.strip()]
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\f", text) if p.strip()]
    return english_in(lines + paragraphs)


def english_in_email(message) -> list[str]:
    found = [f"subject: {s}" for s in english_in([message.subject.removeprefix("[Alianza] ")])]
    found += english_in_lines(message.body)
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            found += english_in_html(content)
    return sorted(set(found))


def assert_spanish(page) -> None:
    found = english_on(page)
    assert not found, f"English strings on {page.url}: {found}"

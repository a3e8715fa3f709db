"""Does a page show English interface strings? Compares every visible text (text nodes and the
accessible names in attributes) with the English messages of the catalogue that Spanish
translates differently."""

import gettext
from functools import cache

from django.conf import settings

# Texts the same in both languages or proper names (not interface strings to translate).
_SAME = {"Alianza", "Email", "PDF", "IATI", "SDG", "ODS"}


@cache
def english_messages() -> frozenset[str]:
    mo = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.mo"
    with open(mo, "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)._catalog
    english = set()
    for msgid, msgstr in catalogue.items():
        if isinstance(msgid, tuple):  # plural forms: (msgid, n)
            msgid = msgid[0]
        if not msgid or "%" in msgid or "{" in msgid or msgid in _SAME:
            continue
        if msgstr and msgstr.strip() != msgid.strip():
            english.add(msgid.strip())
    return frozenset(english)


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
    english = english_messages()
    found = []
    for text in page.evaluate(_TEXTS):
        candidates = {text, text.rstrip(":").strip(), text.strip("←→›·").strip()}
        if candidates & english:
            found.append(text)
    return sorted(set(found))


def assert_spanish(page) -> None:
    found = english_on(page)
    assert not found, f"English strings on {page.url}: {found}"

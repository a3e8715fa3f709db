"""Spanish is complete: every message has a Spanish entry (and the compiled .mo matches the .po),
every user-visible word in a template is marked for translation, and pages render in Spanish."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation.template import templatize

from actors.models import Role
from tests.factories import MemberFactory, PartnershipFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
TEMPLATES = ROOT / "templates"


# --- the catalogue ------------------------------------------------------------------------------

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$")


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: {"flags": set, "msgid": str, "msgstr": str, "msgstr[0]": ...}."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            match = _KEYWORD.match(line)
            assert match, f"unparsable line in {path.name}: {line!r}"
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
    return entries


def _catalogue() -> dict[tuple[str | None, str], dict]:
    return {(e.get("msgctxt"), e["msgid"]): e for e in parse_po(PO) if e["msgid"]}


def _translations(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k.startswith("msgstr")]


def test_every_message_has_a_spanish_translation():
    entries = _catalogue()
    assert len(entries) > 1000
    fuzzy = [msgid for (_, msgid), e in entries.items() if "fuzzy" in e["flags"]]
    empty = [msgid for (_, msgid), e in entries.items() if not all(_translations(e))]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not empty, f"untranslated entries: {empty[:10]}"
    plurals = [e for e in entries.values() if "msgid_plural" in e]
    assert plurals and all(len(_translations(e)) == 3 for e in plurals)


def test_placeholders_are_kept():
    placeholder = re.compile(r"%\(\w+\)[sd]|%%|<[^>]+>")
    for (_, msgid), entry in _catalogue().items():
        wanted = set(placeholder.findall(msgid + entry.get("msgid_plural", "")))
        for text in _translations(entry):
            assert set(placeholder.findall(text)) <= wanted, (msgid, text)
        if "msgid_plural" not in entry:
            assert set(placeholder.findall(entry["msgstr"])) == wanted, msgid


def test_compiled_catalogue_matches_the_po_file():
    """`make messages` (compilemessages) was run after the last change to the .po."""
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for (context, msgid), entry in _catalogue().items():
        if "msgid_plural" in entry:
            got = compiled.ngettext(msgid, entry["msgid_plural"], 1)
            assert got == entry["msgstr[0]"], msgid
        elif context:
            assert compiled.pgettext(context, msgid) == entry["msgstr"], msgid
        else:
            assert compiled.gettext(msgid) == entry["msgstr"], msgid


# --- the templates ------------------------------------------------------------------------------

_HIDDEN = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S),
    re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"{#.*?#}", re.S),
]
_DJANGO = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_VISIBLE_ATTRIBUTE = re.compile(
    r"\b(?:title|alt|placeholder|aria-label|aria-description|aria-roledescription)"
    r"\s*=\s*\"([^\"]*)\"",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
# Names that read the same in every language.
_NOT_WORDS = {"Alianza", "SHA", "IATI", "PDF", "CSV", "XLSX", "XML", "API", "REST", "QR"}


def _template_files():
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})


def untranslated_words(source: str, plain_text: bool = False) -> list[str]:
    """Words a person would read that are not inside {% translate %} or {% blocktranslate %}."""
    for pattern in _HIDDEN:
        source = pattern.sub(" ", source)
    attributes = [_DJANGO.sub(" ", m.group(1)) for m in _VISIBLE_ATTRIBUTE.finditer(source)]
    text = _DJANGO.sub(" ", source)
    if not plain_text:
        text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&#?\w+;", " ", text)
    words = _WORD.findall(text + " " + " ".join(attributes))
    return [w for w in words if w not in _NOT_WORDS]


def test_the_scanner_finds_unmarked_text():
    assert untranslated_words('<p class="x">Hello {{ name }}</p>') == ["Hello"]
    assert untranslated_words('<a title="Open it" href="{% url "x" %}">{% translate "A" %}</a>')
    assert not untranslated_words(
        '{% load i18n %}<p>{% translate "Hi" %} {% blocktranslate %}Hi {{ n }}'
        "{% endblocktranslate %}</p>{# note #}<script>let a = 1;</script>"
    )


@pytest.mark.parametrize("path", _template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_marked_for_translation(path):
    words = untranslated_words(path.read_text(encoding="utf-8"), plain_text=path.suffix == ".txt")
    assert not words, f"unmarked text in {path.relative_to(TEMPLATES)}: {words[:12]}"


_STRING = r"u?'(?:[^'\\]|\\.)*'"
_CALL = re.compile(rf"\b(n?p?gettext)\(\s*((?:{_STRING}\s*,?\s*)+)")


def test_every_marked_template_string_has_a_spanish_entry():
    """A string marked in a template but missing from the .po (makemessages not run) fails."""
    catalogue = _catalogue()
    missing = []
    for path in _template_files():
        for match in _CALL.finditer(templatize(path.read_text(encoding="utf-8"), origin=path)):
            strings = [ast.literal_eval(s.lstrip("u")) for s in re.findall(_STRING, match[2])]
            context = strings.pop(0) if "p" in match[1].split("get")[0] else None
            entry = catalogue.get((context, strings[0]))
            if entry is None or not all(_translations(entry)):
                missing.append(f"{path.relative_to(TEMPLATES)}: {strings[0]!r}")
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing[:20])


# --- pages in Spanish ---------------------------------------------------------------------------


@pytest.fixture
def facilitator_partnership(db):
    facilitator = UserFactory(role=Role.FACILITATOR, language="es")
    partnership = PartnershipFactory(facilitator=facilitator, title="Agua para Ayacucho")
    MemberFactory(partnership=partnership)
    return facilitator, partnership


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["cookie", "accept-language"])
def test_pages_render_in_spanish(client, facilitator_partnership, how):
    facilitator, partnership = facilitator_partnership
    client.force_login(facilitator)
    headers = {}
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    else:
        headers["HTTP_ACCEPT_LANGUAGE"] = "es-PE,es;q=0.9"

    listing = client.get(reverse("partnerships:list"), **headers).content.decode()
    assert '<html lang="es">' in listing
    for spanish in ("Alianzas", "Filtrar alianzas", "Cerrar sesión", "Saltar al contenido"):
        assert spanish in listing
    for english in ("Partnerships", "Filter partnerships", "Log out", "Skip to content"):
        assert english not in listing

    detail = client.get(partnership.get_absolute_url(), **headers).content.decode()
    assert "Agua para Ayacucho" in detail
    for spanish in ("Miembros", "Objetivos", "Aportes", "Idioma"):
        assert spanish in detail
    for english in ("Members", "Objectives", "Contributions", "Language", "Log out"):
        assert english not in detail


@pytest.mark.django_db
def test_language_switcher_sets_the_language(client, facilitator_partnership):
    facilitator, _ = facilitator_partnership
    client.force_login(facilitator)
    page = client.get(reverse("partnerships:list")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language"' in page and '<option value="es"' in page

    response = client.post(
        reverse("set_language"), {"language": "es", "next": reverse("partnerships:list")}
    )
    assert response.status_code == 302 and response.url == reverse("partnerships:list")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Filtrar alianzas" in client.get(reverse("partnerships:list")).content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Filter partnerships" in client.get(reverse("partnerships:list")).content.decode()


@pytest.mark.django_db
def test_error_pages_are_translated(client, facilitator_partnership):
    facilitator, _ = facilitator_partnership
    client.force_login(facilitator)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Página no encontrada" in page and "Not Found" not in page


@pytest.mark.django_db
def test_the_profile_language_applies_without_a_cookie_and_the_switcher_saves_it(client):
    person = UserFactory(role=Role.FACILITATOR, language="es")
    client.force_login(person)
    assert "Filtrar alianzas" in client.get(reverse("partnerships:list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert "Filter partnerships" in client.get(reverse("partnerships:list")).content.decode()


# --- emails, history lines and PDFs in Spanish --------------------------------------------------


def test_the_finder_sees_english_around_the_values_put_in_a_message():
    from tests.e2e.language import english_in, english_in_lines

    found = english_in(
        [
            "Signed off by Olga Oficial (gate request #12).",
            "Hello Walter,",
            "Aprobado por Olga Oficial (solicitud de aprobación n.º 12).",
            "Hola, Walter:",
            "Página 1 de 2",
            "Cambio",
        ]
    )
    assert [f.split("  [")[0] for f in found] == [
        "Hello Walter,",
        "Signed off by Olga Oficial (gate request #12).",
    ]
    assert english_in_lines("2. Contributions planned and delivered\nMiembro\n")


@pytest.fixture
def spanish_readers(db):
    """A partnership whose facilitator works in English, and whose official and signatories
    read Spanish."""
    from actors.models import Sector
    from partnerships import services
    from tests.factories import complete_agreement, make_designable

    facilitator = UserFactory(role=Role.FACILITATOR, language="en", full_name="Fiona Fox")
    partnership = make_designable(PartnershipFactory(facilitator=facilitator))
    official = UserFactory(
        role=Role.OFFICIAL,
        language="es",
        full_name="Walter Quispe",
        organisation=partnership.members.get(organisation__sector=Sector.PUBLIC).organisation,
    )
    return partnership, official, services, complete_agreement


def _sign_off(official, gate):
    from partnerships import gates

    return gates.signoff_approve(gate_request=gate, by=official, comment="De acuerdo.")


def test_emails_history_and_sign_off_pages_speak_the_readers_spanish(
    client, spanish_readers, django_capture_on_commit_callbacks
):
    """Written while English is active (the facilitator's request, an official's approval),
    read in Spanish: the emails, the History lines, the gate page's history and reasons."""
    from django.core import mail
    from django.utils import translation

    from partnerships import gates
    from tests.e2e.language import english_in_email, english_in_html

    partnership, official, services, complete_agreement = spanish_readers
    facilitator = partnership.facilitator
    translation.activate("en")
    with django_capture_on_commit_callbacks(execute=True):
        gate = gates.gate_request_create(
            partnership=partnership, transition="start_design", by=facilitator, comment="Please."
        )
    [request_email] = mail.outbox
    assert request_email.to == [official.email]
    assert request_email.body.startswith("Hola, Walter:")
    assert "Iniciar el diseño" in request_email.body
    assert english_in_email(request_email) == []

    with django_capture_on_commit_callbacks(execute=True):
        _sign_off(official, gate)
    partnership.refresh_from_db()
    assert partnership.phase == "design"
    change = partnership.phase_changes.get(to_phase="design")
    assert change.comment == "Please."  # the requester's words stay as written

    # The design gate: content changes under an open request (approvals voided, approvers
    # told what changed), then the facilitator withdraws the request.
    complete_agreement(partnership)
    for member in partnership.members.all():
        member.signatory.language = "es"
        member.signatory.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        design_gate = gates.gate_request_create(
            partnership=partnership, transition="start_operation", by=facilitator
        )
        _sign_off(official, design_gate)
        partnership.scope = "Veinte escuelas."
        partnership.save()
        gates.agreed_content_saved(partnership=partnership, by=facilitator)
        gates.gate_request_cancel(gate_request=design_gate, by=facilitator)
    spanish = {official.email} | {m.signatory.email for m in partnership.members.all()}
    to_spanish = [e for e in mail.outbox if e.to[0] in spanish]
    assert len(to_spanish) >= 3  # the request, the voided approval, the cancellation
    for email in to_spanish:
        assert email.body.startswith("Hola,"), email.body
        assert english_in_email(email) == [], email.body
    # The facilitator reads English: their emails stay English.
    assert all(
        e.body.startswith("Hello Fiona,") for e in mail.outbox if e.to == [facilitator.email]
    )

    translation.activate("en")
    client.force_login(official)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    detail = client.get(partnership.get_absolute_url()).content.decode()
    assert "Aprobado por Walter Quispe" in detail
    assert english_in_html(detail) == []
    page = client.get(reverse("partnerships:gate_detail", args=[design_gate.pk]))
    gate_page = page.content.decode()
    assert "Alcance: “Agreed scope.” pasó a ser “Veinte escuelas.”." in gate_page
    assert "Cancelada por Fiona Fox." in gate_page
    # The codes the page still shows (history actions, "role: funder" in what is approved)
    # are item 6 of issue 15 (labels for codes), not words of this one: left out here.
    codes = ("gate.", "role: ")
    assert [t for t in english_in_html(gate_page) if not t.startswith(codes)] == []

    # An English reader of the same rows gets them in English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "Signed off by Walter Quispe" in client.get(partnership.get_absolute_url()).content.decode()
    )


def test_a_reminder_of_a_waiting_sign_off_is_in_spanish(spanish_readers):
    from django.core import mail

    from partnerships import gates
    from reminders import services as reminders
    from reminders.models import Kind, Reminder
    from tests.e2e.language import english_in_email

    partnership, official, *_ = spanish_readers
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    mail.outbox.clear()
    reminder = Reminder.objects.create(
        kind=Kind.GATE_WAITING,
        subject=gate,
        partnership=partnership,
        recipient=official,
        due_on=gate.requested_at.date(),
        occasion="waiting-3",
    )
    assert reminders.reminder_send(reminder_id=reminder.pk) == reminders.SENT
    [email] = mail.outbox
    assert "Iniciar el diseño" in email.body and "start design" not in email.body
    assert english_in_email(email) == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["agreement", "progress"])
def test_a_spanish_agreement_and_progress_report_have_no_english(kind):
    import datetime

    from reports import services as documents
    from tests.e2e.language import english_in_lines
    from tests.reports.conftest import (
        approve_and_start,
        designed_partnership,
        open_design_gate,
        pdf_text,
        record_operation,
    )

    partnership = designed_partnership(language="es")
    partnership = approve_and_start(partnership, open_design_gate(partnership))
    if kind == "agreement":
        document = documents.document_request_agreement(partnership=partnership)
    else:
        record_operation(partnership)
        document = documents.document_request_progress(
            partnership=partnership,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            by=partnership.facilitator,
        )
    produced = documents.document_render(document_id=document.pk)
    assert produced is not None, document
    text = pdf_text(produced.file.read())
    assert "Código de verificación" in text
    assert english_in_lines(text) == []


def test_one_english_word_two_spanish_words(client, spanish_readers):
    """ "Change" the noun (a column of the sign-offs waiting) is "Cambio", the verb (the
    language button) "Cambiar"; "Planned" over amounts agrees with "aporte" (Previsto), an
    activity is "Prevista"."""
    import re

    from partnerships import gates

    partnership, official, _services, complete_agreement = spanish_readers
    gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    complete_agreement(partnership)  # a contribution: the detail page's amounts
    client.force_login(official)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    dashboard = client.get(reverse("dashboard")).content.decode()
    main, footer = dashboard.split("</main>")
    headers = re.findall(r"<th[^>]*>([^<]+)</th>", main)
    assert "Cambio" in headers and "Cambiar" not in headers
    assert ">Cambiar</button>" in footer
    detail = client.get(partnership.get_absolute_url()).content.decode()
    assert re.search(r"<th[^>]*>Previsto</th>", detail)
    assert "Prevista" not in re.findall(r"<th[^>]*>([^<]+)</th>", detail)

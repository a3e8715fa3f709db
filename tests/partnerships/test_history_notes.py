"""History lines written before they were kept untranslated (English or Spanish text frozen in
the comment) are moved into the note by migration 0008, and read in each reader's language."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from partnerships.models import PhaseChange
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "partnerships.migrations.0008_history_notes_in_the_readers_language"
)


def test_frozen_signed_off_lines_become_notes_in_the_readers_language():
    partnership = PartnershipFactory()
    rows = {
        comment: PhaseChange.objects.create(
            partnership=partnership,
            transition="start_design",
            from_phase="interest",
            to_phase="design",
            comment=comment,
        )
        for comment in (
            "Signed off by Olga Oficial, Mario Firmante (gate request #12).",
            "Todo listo.\nAprobado por Olga Oficial (solicitud de aprobación n.º 7).",
            "Suspended while the ministry reorganises.",
        )
    }
    migration.split_signed_off_lines(apps, None)

    english, spanish, untouched = (PhaseChange.objects.get(pk=row.pk) for row in rows.values())
    assert english.comment == "" and spanish.comment == "Todo listo."
    assert untouched.comment == "Suspended while the ministry reorganises."
    assert untouched.note == {}
    with translation.override("es"):
        assert english.note_text == (
            "Aprobado por Olga Oficial, Mario Firmante (solicitud de aprobación n.º 12)."
        )
    with translation.override("en"):
        assert spanish.note_text == "Signed off by Olga Oficial (gate request #7)."

"""Acceptance: every demo partnership exports to IATI XML that passes the XSD, the code lists
and the standard's rules."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from partnerships.exports import iati, iati_rules
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db
# The vendored copy (partnerships/iati_data/) unless the setting names another.
IATI_DIR = settings.ALIANZA_IATI_DIR


@pytest.fixture(scope="module")
def demo_exports(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO(), queue_documents=True)
        exports = {p.title: iati.activities_xml([p]) for p in Partnership.objects.all()}
        portfolio = iati.activities_xml(list(Partnership.objects.all()))
        # Module-scoped data outside a test transaction: remove it for the other tests.
        from django.core.management import call_command as _cc

        _cc("flush", interactive=False, verbosity=0)
    return exports, portfolio


def test_there_are_demo_partnerships_to_export(demo_exports):
    exports, _portfolio = demo_exports
    assert len(exports) >= 6


@pytest.mark.parametrize("check", ["xsd", "codes", "rules"])
def test_every_demo_partnership_passes(demo_exports, check):
    exports, portfolio = demo_exports
    checker = {
        "xsd": lambda xml: iati_rules.xsd_errors(xml, IATI_DIR),
        "codes": lambda xml: iati_rules.code_errors(xml, IATI_DIR),
        "rules": iati_rules.rule_errors,
    }[check]
    failures = {title: checker(xml) for title, xml in exports.items() if checker(xml)}
    assert failures == {}
    assert checker(portfolio) == []

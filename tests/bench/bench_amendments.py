"""Merging a signed amendment against saving the edit form, on the same large partnership.

    python -m tests.bench.bench_amendments [rounds]

A signed partnership with 50 indicators (10 objectives of 5) and 100 contributions. The merge
is timed as the signer lives it: the last approval of a results amendment raising one target,
which merges the working copy into the agreement in one transaction (every row compared, the
changed one written and audited, the next agreement version frozen, its PDF requested;
the PDF itself is a worker's job after the commit, not timed). The
edit form is the partnership page's form posted by its facilitator. Runs on a throwaway test
database (SQLite in memory unless DATABASE_URL is set). Prints both medians and their ratio.
"""

import logging
import os
import statistics
import sys
import tempfile
import time

INDICATORS, CONTRIBUTIONS = 50, 100


def main(rounds: int = 5) -> float:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="alianza-bench-")
    settings.ALIANZA_AUDIT_CHECKPOINT_DIR = tempfile.mkdtemp(prefix="alianza-bench-")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        return _run(rounds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _large_signed_partnership():
    from partnerships.models import Contribution, Indicator, Objective
    from tests.reports.conftest import approve_and_start, designed_partnership, open_design_gate

    partnership = designed_partnership()
    members = list(partnership.members.all())
    for o in range(INDICATORS // 5):
        objective = Objective.objects.create(
            partnership=partnership, kind="specific", description=f"Objective {o + 1}", order=o
        )
        for i in range(5):
            Indicator.objects.create(
                objective=objective, name=f"Indicator {o + 1}.{i + 1}", unit="%", target=50
            )
    for c in range(CONTRIBUTIONS - partnership.contributions.count()):
        Contribution.objects.create(
            partnership=partnership,
            member=members[c % len(members)],
            kind="in_kind",
            description=f"Contribution {c + 1}",
            planned_amount=1000 + c,
            currency="USD",
        )
    approve_and_start(partnership, open_design_gate(partnership))
    return partnership


def _edit_form_data(partnership) -> dict:
    from partnerships.forms import PartnershipForm

    form = PartnershipForm(instance=partnership)
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def _run(rounds: int) -> float:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from partnerships.amendments import services
    from partnerships.gates.signoff import signoff_approve
    from partnerships.models import Decision, Indicator

    partnership = _large_signed_partnership()
    by = partnership.facilitator
    client = Client()
    client.force_login(by)
    edit = reverse("partnerships:edit", args=[partnership.pk])
    data = _edit_form_data(partnership)
    edits = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.post(edit, data)
        edits.append(time.perf_counter() - started)
        assert response.status_code == 302, response.content[:500]

    merges = []
    for n in range(rounds):
        amendment = services.amendment_open(
            partnership=partnership, kind="results", reason=f"Round {n + 1}", by=by
        )
        indicator = amendment.working_copy_indicators().order_by("pk").last()
        indicator.target = 60 + n
        indicator.save()
        amendment = services.amendment_submit(amendment=amendment, by=by)
        pending = list(amendment.sign_off.approvals.filter(decision=Decision.PENDING))
        for approval in pending[:-1]:
            signoff_approve(by=approval.approver, gate_request=amendment.sign_off)
        # Timed inside the transaction: the PDF it asks for is rendered after the commit, by
        # a worker (in-process here, without a broker), not by the person approving.
        with transaction.atomic():
            started = time.perf_counter()
            signoff_approve(by=pending[-1].approver, gate_request=amendment.sign_off)
            merges.append(time.perf_counter() - started)
        amendment.refresh_from_db()
        assert amendment.number == n + 1
    assert Indicator.objects.filter(objective__partnership=partnership).count() >= INDICATORS
    edit_ms = statistics.median(edits) * 1000
    merge_ms = statistics.median(merges) * 1000
    ratio = merge_ms / edit_ms
    print(
        f"  {INDICATORS} indicators, {partnership.contributions.count()} contributions, "
        f"median of {rounds}:"
    )
    print(f"  edit form saved          {edit_ms:8.1f} ms")
    print(
        f"  amendment merged         {merge_ms:8.1f} ms  (the last approval's transaction, merge included)"
    )
    print(f"  merge / edit form        {ratio:8.2f}x")
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

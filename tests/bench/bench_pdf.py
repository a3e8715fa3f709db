"""End-to-end agreement generation against a bare WeasyPrint render of the same HTML.

    python -m tests.bench.bench_pdf [rounds]

End to end is what the Celery task does: load the request and its data, render the template,
WeasyPrint (PDF/A-3b), sign (pyHanko), store (Django storage) and record the hash. The bare
render is ``HTML(string=same_html).write_pdf(pdf_variant="pdf/a-3b")``. Runs on a throwaway
test database (SQLite in memory unless DATABASE_URL is set). Target: ratio <= 1.3.
"""

import logging
import os
import statistics
import sys
import tempfile
import time


def main(rounds: int = 7) -> float:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="alianza-bench-")
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        return _run(rounds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(rounds: int) -> float:
    from weasyprint import HTML

    from reports import services
    from reports.models import Document, DocumentKind
    from reports.services import requests
    from tests.reports.conftest import approve_and_start, designed_partnership, open_design_gate

    partnership = designed_partnership(language="es")
    approve_and_start(partnership, open_design_gate(partnership))
    template = Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT)

    def fresh_request() -> Document:
        return Document.objects.create(
            partnership=partnership,
            kind=DocumentKind.AGREEMENT,
            version=requests._next_agreement_version(partnership),
            language=template.language,
            content=template.content,
            fingerprint=template.fingerprint,
            gate_request=None,
        )

    html = services.render_html(template)
    # Warm up both paths (fonts, templates, the signing key) before measuring.
    services.document_render(document_id=fresh_request().pk)
    HTML(string=html, base_url=str(settings_base())).write_pdf(pdf_variant="pdf/a-3b")

    full, bare = [], []
    for _ in range(rounds):
        document = fresh_request()
        start = time.perf_counter()
        produced = services.document_render(document_id=document.pk)
        full.append(time.perf_counter() - start)
        assert produced is not None and produced.sha256
        start = time.perf_counter()
        HTML(string=html, base_url=str(settings_base())).write_pdf(pdf_variant="pdf/a-3b")
        bare.append(time.perf_counter() - start)
    e2e, raw = statistics.median(full), statistics.median(bare)
    ratio = e2e / raw
    print(f"agreement, {rounds} rounds, median")
    print(f"  end to end (load, render, sign, store): {e2e * 1000:7.1f} ms")
    print(f"  bare WeasyPrint render, same HTML:      {raw * 1000:7.1f} ms")
    print(f"  ratio: {ratio:.2f}x (target <= 1.30)")
    return ratio


def settings_base():
    from django.conf import settings

    return settings.BASE_DIR


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership
from reports.models import Document, DocumentStatus


def _publish(p, summary="Clean water for 40 schools."):
    Partnership.objects.filter(pk=p.pk).update(is_published=True, public_summary=summary)
    p.refresh_from_db()
    return p


def _document(p, kind, *, version=None, status=DocumentStatus.READY, **extra):
    doc = Document.objects.create(
        partnership=p,
        kind=kind,
        version=version,
        status=status,
        sha256="b" * 64 if status == DocumentStatus.READY else "",
        rendered_at=timezone.now(),
        **extra,
    )
    if status == DocumentStatus.READY:
        doc.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.4 " + kind.encode()), save=True)
    return doc


def test_register_lists_published_partnerships_without_login(client, world):
    world.add(2)
    published, hidden = world.partnerships
    _publish(published)
    Partnership.objects.filter(pk=hidden.pk).update(title="Secret deal")
    Partnership.objects.filter(pk=published.pk).update(confidentiality="Confidential terms")
    response = client.get(reverse("public:register"))
    assert response.status_code == 200
    body = response.content.decode()
    assert published.title in body
    assert "Clean water for 40 schools." in body
    assert "Fund for Good" in body and "Ministry of Health" in body
    assert "Operation" in body
    assert "Secret deal" not in body
    assert "Confidential terms" not in body
    agreement = published.documents.get(kind="agreement")
    assert reverse("public:download", args=[agreement.pk]) in body


def test_detail_of_a_published_partnership(client, world):
    world.add(1)
    p = _publish(world.partnerships[0])
    closure = _document(p, "closure")
    _document(p, "progress", period_start=timezone.localdate(), period_end=timezone.localdate())
    response = client.get(reverse("public:detail", args=[p.reference]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("public:download", args=[closure.pk]) in body
    assert "Progress report" not in body
    assert {d.kind for d in response.context["partnership"].public_docs} == {
        "agreement",
        "closure",
    }


def test_unpublished_or_unknown_partnership_is_not_found(client, world):
    world.add(1)
    p = world.partnerships[0]
    assert client.get(reverse("public:detail", args=[p.reference])).status_code == 404
    assert client.get("/public/NO-SUCH-REF/").status_code == 404


def test_download_serves_published_final_documents_only(client, world):
    world.add(2)
    published, hidden = world.partnerships
    _publish(published)
    agreement = published.documents.get(kind="agreement")
    response = client.get(reverse("public:download", args=[agreement.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]

    hidden_agreement = hidden.documents.get(kind="agreement")
    draft = _document(published, "agreement_draft")
    progress = _document(
        published, "progress", period_start=timezone.localdate(), period_end=timezone.localdate()
    )
    queued = _document(published, "closure", status=DocumentStatus.QUEUED)
    for doc in (hidden_agreement, draft, progress, queued):
        assert client.get(reverse("public:download", args=[doc.pk])).status_code == 404
    assert client.get("/public/documents/999999/download/").status_code == 404


def test_unpublishing_withdraws_the_documents(client, world):
    world.add(1)
    p = _publish(world.partnerships[0])
    agreement = p.documents.get(kind="agreement")
    Partnership.objects.filter(pk=p.pk).update(is_published=False)
    assert client.get(reverse("public:download", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("public:register")).context["partnerships"].count() == 0


def test_register_is_not_writable(client, db):
    assert client.post(reverse("public:register")).status_code == 405


def test_register_query_count_is_fixed(client, world):
    world.add(2)
    for p in world.partnerships:
        _publish(p)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("public:register")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    world.add(5)
    for p in world.partnerships:
        _publish(p)
    assert count() == small

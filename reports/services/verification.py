"""Verifying a document: by its verification code, or from an uploaded file (its signature and
its fingerprint against the stored one), with the uploads rate-limited per network."""

import io
import ipaddress
import logging
import math
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from .. import signing
from ..models import Document, DocumentStatus
from .requests import DocumentRefused

logger = logging.getLogger(__name__)


@dataclass
class Verification:
    """The public answer about a code or a file."""

    authentic: bool = False
    document: Document | None = None
    sha256: str = ""
    signature: signing.SignatureCheck | None = None
    reasons: list[str] = field(default_factory=list)
    # False when the file was too large or too complex to be examined within the limits.
    checked: bool = True
    # For a signed agreement a later version replaced: the current version's document.
    superseded_by: Document | None = None


def superseding_agreement(document: Document | None) -> Document | None:
    """The current version of the agreement when ``document`` is an earlier one, else None."""
    return document.superseded_by if document is not None else None


def document_for_code(code: str) -> Document | None:
    from ..models import normalise_code

    code = normalise_code(code)
    if not code:
        return None
    return (
        Document.objects.select_related("partnership")
        .filter(verification_code=code, status=DocumentStatus.READY)
        .first()
    )


def document_verify_file(data: bytes) -> Verification:
    """Is ``data`` a PDF Alianza issued, unchanged? Compares its SHA-256 with the documents
    issued and checks its signature; says why not when it is not."""
    result = Verification(sha256=signing.sha256_hex(data))
    result.signature = signing.check_signature(data)
    if not result.signature.checked:
        # Nothing is said about its origin: the file was not examined.
        result.checked = False
        result.reasons = list(result.signature.problems)
        return result
    result.document = (
        Document.objects.select_related("partnership")
        .filter(sha256=result.sha256, status=DocumentStatus.READY)
        .first()
    )
    if result.document is None:
        claimed = document_for_code(result.signature.claimed_code)
        if claimed is not None:
            result.reasons.append(
                _(
                    "It claims to be document %(code)s, but its content differs from the file "
                    "Alianza issued: it has been modified."
                )
                % {"code": claimed.verification_code}
            )
            result.document = claimed
        else:
            result.reasons.append(_("Alianza has not issued a document with this exact content."))
    result.reasons.extend(result.signature.problems)
    result.authentic = (
        result.document is not None
        and result.document.sha256 == result.sha256
        and result.signature.ok
    )
    if result.authentic:
        result.superseded_by = superseding_agreement(result.document)
    return result


def _address_bucket(address: str) -> str:
    """One bucket per IPv4 address, one per IPv6 /64 (what one subscriber is given)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def document_verify_wait(*, address: str | None) -> int:
    """Count one anonymous file check from ``address``; return 0 when it may go ahead, else
    the seconds until it may check again. At most ``ALIANZA_VERIFY_ANONYMOUS_FILES`` checks
    per ``ALIANZA_VERIFY_WINDOW_SECONDS`` window (fixed windows, counted in Django's cache,
    which every web process shares when it is Redis)."""
    limit = settings.ALIANZA_VERIFY_ANONYMOUS_FILES
    window = settings.ALIANZA_VERIFY_WINDOW_SECONDS
    now = time.time()
    slot = int(now // window)
    key = f"reports:verify:{_address_bucket(address or '')}:{slot}"
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window + 1)
            count = 1
    except Exception as error:  # noqa: BLE001 - an unreachable cache must not close the page
        logger.warning("Verification rate limit not applied: %r", error)
        return 0
    if count <= limit:
        return 0
    return max(1, math.ceil((slot + 1) * window - now))


def read_upload(uploaded, *, limit: int | None = None) -> bytes:
    """The bytes of an uploaded file, refusing anything over ``limit``."""
    limit = limit or settings.ALIANZA_MAX_UPLOAD_BYTES
    buffer = io.BytesIO()
    for chunk in uploaded.chunks():
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise DocumentRefused([_("The file is too large.")])
    return buffer.getvalue()

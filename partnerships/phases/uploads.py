"""Which files may be attached: PDF, images and office documents, checked by extension AND by
the first bytes of the file, so a renamed executable is refused."""

import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (doc, xls, ppt)
ZIP = b"PK\x03\x04"

# extension -> (content type served, family checked by the magic bytes)
ALLOWED = {
    ".pdf": ("application/pdf", "pdf"),
    ".png": ("image/png", "png"),
    ".jpg": ("image/jpeg", "jpeg"),
    ".jpeg": ("image/jpeg", "jpeg"),
    ".gif": ("image/gif", "gif"),
    ".webp": ("image/webp", "webp"),
    ".doc": ("application/msword", "ole"),
    ".xls": ("application/vnd.ms-excel", "ole"),
    ".ppt": ("application/vnd.ms-powerpoint", "ole"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ooxml:word/",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ooxml:ppt/",
    ),
    ".odt": (
        "application/vnd.oasis.opendocument.text",
        "odf:application/vnd.oasis.opendocument.text",
    ),
    ".ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        "odf:application/vnd.oasis.opendocument.spreadsheet",
    ),
    ".odp": (
        "application/vnd.oasis.opendocument.presentation",
        "odf:application/vnd.oasis.opendocument.presentation",
    ),
}


def _head(upload, n=16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _zip_has(upload, family: str) -> bool:
    kind, _sep, marker = family.partition(":")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if kind == "ooxml":
                return "[Content_Types].xml" in names and any(n.startswith(marker) for n in names)
            if "mimetype" not in names:
                return False
            return archive.read("mimetype").decode("ascii", "replace").strip() == marker
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        upload.seek(0)


def content_matches(upload, family: str) -> bool:
    head = _head(upload)
    if family == "pdf":
        return head.startswith(b"%PDF-")
    if family == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if family == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if family == "gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if family == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if family == "ole":
        return head.startswith(OLE)
    if family.startswith(("ooxml:", "odf:")):
        return head.startswith(ZIP) and _zip_has(upload, family)
    return False


def allowed_extensions() -> str:
    return ", ".join(sorted(ext.lstrip(".") for ext in ALLOWED))


def validate_upload(upload) -> str:
    """Raise ``ValidationError`` with a message a person understands; return the content type."""
    limit = settings.ALIANZA_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("Files of this type cannot be attached. Allowed: %(types)s.")
            % {"types": allowed_extensions()},
            code="type",
        )
    content_type, family = ALLOWED[ext]
    if not content_matches(upload, family):
        raise ValidationError(
            _("The file's content is not a %(ext)s file; it cannot be attached.")
            % {"ext": ext.lstrip(".").upper()},
            code="content",
        )
    return content_type


def safe_original_name(name: str) -> str:
    """The name shown and offered on download: no directories, no control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|*?:')
    return (cleaned or "file")[:255]

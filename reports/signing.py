"""PAdES signatures on the PDFs Alianza issues, and their validation.

The installation signs with the certificate and key named in the settings
(``ALIANZA_SIGNING_CERT``, ``ALIANZA_SIGNING_KEY``, ``ALIANZA_SIGNING_KEY_PASSPHRASE``). When
none is configured, a self-signed certificate is created on first use under
``var/signing/``; creation holds a file lock so that concurrent workers create exactly one.
With ``ALIANZA_TSA_URL`` set, each signature also carries a trusted timestamp (PAdES B-T).

Signing appends an incremental update, so the PDF/A-3b file WeasyPrint wrote stays as it was
and the signature's byte range covers the whole file.

Checking an uploaded file (``check_signature``) never parses it in the caller's process: see
``reports/pdf_check.py`` for the limits and the child process that applies them.
"""

import asyncio
import concurrent.futures
import datetime
import fcntl
import functools
import hashlib
import io
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from . import pdf_check

logger = logging.getLogger(__name__)

FIELD_PREFIX = "Alianza-"
# pyHanko writes the dashes of the field name as octal escapes (\\055).
_DASH = rb"(?:-|\\055)"
_FIELD_CODE = re.compile(
    rb"Alianza" + _DASH + rb"([A-Z0-9]{4})" + _DASH + rb"([A-Z0-9]{4})" + _DASH + rb"([A-Z0-9]{4})"
)


# ----- the installation's certificate -------------------------------------------------------------


def _default_dir() -> Path:
    return Path(settings.VAR_DIR) / "signing"


def signing_paths() -> tuple[Path, Path, bytes | None]:
    """(certificate, key, passphrase): from the settings, or the self-signed default."""
    cert = getattr(settings, "ALIANZA_SIGNING_CERT", "") or ""
    key = getattr(settings, "ALIANZA_SIGNING_KEY", "") or ""
    passphrase = getattr(settings, "ALIANZA_SIGNING_KEY_PASSPHRASE", "") or ""
    if cert and key:
        return Path(cert), Path(key), passphrase.encode() or None
    directory = _default_dir()
    cert_path, key_path = directory / "alianza-cert.pem", directory / "alianza-key.pem"
    if not (cert_path.exists() and key_path.exists()):
        _create_self_signed(directory, cert_path, key_path)
    return cert_path, key_path, None


def _create_self_signed(directory: Path, cert_path: Path, key_path: Path) -> None:
    """Create the default key and certificate once, even with several processes racing."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if cert_path.exists() and key_path.exists():
                return
            key_pem, cert_pem = _self_signed_pem()
            for path, data, mode in ((key_path, key_pem, 0o600), (cert_path, cert_pem, 0o644)):
                tmp = path.with_suffix(f".tmp{os.getpid()}")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            logger.warning(
                "Created a self-signed document signing certificate in %s; "
                "configure ALIANZA_SIGNING_CERT/ALIANZA_SIGNING_KEY for production.",
                directory,
            )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _self_signed_pem() -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Alianza document signing (self-signed)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Alianza"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # A wide, clock-independent validity: the certificate may be created by a process whose
        # clock is simulated (tests travel in time) and must still verify at the real date.
        .not_valid_before(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
        .not_valid_after(
            max(now, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
            + datetime.timedelta(days=3650)
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


@functools.lru_cache(maxsize=4)
def _load_signer(cert: str, key: str, passphrase: bytes | None, _mtime: float):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    loaded = signers.SimpleSigner.load(key, cert, key_passphrase=passphrase)
    if loaded is None:
        raise RuntimeError(f"Could not load the signing key {key} and certificate {cert}.")
    # SimpleSigner parses (and validates) the private key on every signature, twice per PDF:
    # about a tenth of a second each for RSA. Parse it once per process instead.
    pyca_key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)

    class CachedKeySigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(
                pyca_key, RSAPrivateKey
            ):
                return pyca_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return CachedKeySigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


def get_signer():
    cert, key, passphrase = signing_paths()
    return _load_signer(str(cert), str(key), passphrase, cert.stat().st_mtime)


def installation_certificate():
    """The asn1crypto certificate this installation signs with."""
    return get_signer().signing_cert


# ----- signing -----------------------------------------------------------------------------------


def _sync(call):
    """Run ``call`` (a pyHanko sync API, which uses ``asyncio.run`` inside) where no event loop
    is running: in a worker thread when the caller is itself inside one (an ASGI server, a
    Playwright session), where ``asyncio.run`` would raise."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def sign_pdf(pdf: bytes, *, reason: str, verification_code: str) -> bytes:
    """Sign ``pdf`` (PAdES B-B, or B-T with a timestamp authority) and return the signed file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    timestamper = None
    tsa_url = getattr(settings, "ALIANZA_TSA_URL", "") or ""
    if tsa_url:
        timestamper = timestamps.HTTPTimeStamper(tsa_url, timeout=20)
    meta = signers.PdfSignatureMetadata(
        field_name=f"{FIELD_PREFIX}{verification_code}",
        reason=reason,
        location=settings.ALIANZA_PUBLIC_URL,
        name="Alianza",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = io.BytesIO()
    pdf_signer = signers.PdfSigner(meta, signer=get_signer(), timestamper=timestamper)
    _sync(lambda: pdf_signer.sign_pdf(writer, output=out))
    return out.getvalue()


def sign_data(data: bytes) -> bytes:
    """A detached CMS signature (DER) of ``data`` by the installation, timestamped when a
    timestamp authority is configured: what the audit trail's checkpoints carry."""
    import asyncio

    from pyhanko.sign import timestamps

    tsa_url = getattr(settings, "ALIANZA_TSA_URL", "") or ""
    timestamper = timestamps.HTTPTimeStamper(tsa_url, timeout=20) if tsa_url else None
    signer = get_signer()
    signed = _sync(
        lambda: asyncio.run(
            signer.async_sign_general_data(data, "sha256", detached=True, timestamper=timestamper)
        )
    )
    return signed.dump()


def data_signature_holds(data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` (from ``sign_data``) is intact over ``data`` and made with this
    installation's certificate. Our own files only: never called on an upload."""
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    try:
        content = cms.ContentInfo.load(signature)
        signed_data = content["content"]
        own = installation_certificate()
        context = ValidationContext(trust_roots=[own], allow_fetching=False)
        status = _sync(
            lambda: asyncio.run(
                async_validate_detached_cms(data, signed_data, signer_validation_context=context)
            )
        )
    except Exception:  # a damaged or foreign signature is simply not ours
        logger.info("Checkpoint signature unreadable", exc_info=True)
        return False
    return bool(status.intact and status.valid and status.signing_cert.sha256 == own.sha256)


# ----- validation --------------------------------------------------------------------------------


@dataclass
class SignatureCheck:
    """What the signature of an uploaded file says, in words a person can read."""

    signed: bool = False
    intact: bool = False
    covers_whole_file: bool = False
    by_this_installation: bool = False
    signed_at: datetime.datetime | None = None
    reason: str = ""
    claimed_code: str = ""
    problems: list[str] = field(default_factory=list)
    # False when the file was too large or too complex to examine within the limits.
    checked: bool = True

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.covers_whole_file and self.by_this_installation


def claimed_code(pdf: bytes) -> str:
    """The verification code a PDF's signature field names, read from the raw bytes so that
    it is found even in a file too damaged to parse."""
    match = _FIELD_CODE.search(pdf)
    return "-".join(g.decode() for g in match.groups()) if match else ""


def check_limits() -> pdf_check.Limits:
    """The limits of one check, from the settings (``ALIANZA_VERIFY_*``)."""
    return pdf_check.Limits(
        max_objects=settings.ALIANZA_VERIFY_MAX_OBJECTS,
        max_revisions=settings.ALIANZA_VERIFY_MAX_REVISIONS,
        max_signature_fields=settings.ALIANZA_VERIFY_MAX_SIGNATURE_FIELDS,
        memory_mb=settings.ALIANZA_VERIFY_MEMORY_MB,
        cpu_seconds=settings.ALIANZA_VERIFY_SECONDS,
    )


def _could_not_check(result: SignatureCheck, why: str) -> SignatureCheck:
    logger.info("Uploaded PDF not checked (%s)", why)
    result.checked = False
    result.problems.append(
        _(
            "This file could not be checked: it is too large or too complex to examine. "
            "Documents issued by Alianza are neither; ask whoever gave it to you for the "
            "original file, or check its verification code instead."
        )
    )
    return result


CheckerBusy = pdf_check.Busy


def check_signature(pdf: bytes) -> SignatureCheck:
    """Check the signature of an untrusted PDF, within ``check_limits()``: the parsing and
    validation run in a child process limited in memory and time, never in the caller, and
    at most ``ALIANZA_VERIFY_CONCURRENT_CHECKS`` at once on this machine (else
    ``CheckerBusy``)."""
    result = SignatureCheck(claimed_code=claimed_code(pdf))
    limits = check_limits()
    excess = pdf_check.raw_excess(pdf, limits)
    if excess:
        return _could_not_check(result, excess)
    certificate, _key, _passphrase = signing_paths()
    slots = Path(settings.ALIANZA_VERIFY_SLOTS_DIR)
    with pdf_check.slot(slots, settings.ALIANZA_VERIFY_CONCURRENT_CHECKS):
        outcome = pdf_check.run(pdf, certificate, limits)
    if outcome is None:
        return _could_not_check(result, "a limit of the child process")
    kind = outcome.get("outcome")
    if kind == pdf_check.TOO_COMPLEX:
        return _could_not_check(result, outcome.get("limit", ""))
    if kind == pdf_check.UNREADABLE:
        logger.info("Unreadable PDF uploaded for verification: %s", outcome.get("detail"))
        result.problems.append(_("The file is not a readable PDF."))
        return result
    if kind == pdf_check.NO_SIGNATURE:
        result.problems.append(_("The file carries no digital signature."))
        return result
    result.signed = True
    if kind != pdf_check.SIGNED:
        logger.warning("Signature validation failed: %s", outcome.get("detail"))
        result.problems.append(_("The digital signature could not be checked: it is damaged."))
        return result
    own = installation_certificate()
    result.intact = bool(outcome["intact"])
    result.covers_whole_file = bool(outcome["entire_file"])
    result.by_this_installation = outcome["signer_sha256"] == own.sha256.hex()
    if outcome["signed_at"]:
        result.signed_at = datetime.datetime.fromisoformat(outcome["signed_at"])
    result.reason = outcome["reason"]
    if not result.intact:
        result.problems.append(
            _("The digital signature is broken: the file was changed after it was signed.")
        )
    elif not result.covers_whole_file:
        result.problems.append(_("Content was added to the file after it was signed."))
    if result.intact and not result.by_this_installation:
        result.problems.append(_("The file was signed by someone other than Alianza."))
    return result


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

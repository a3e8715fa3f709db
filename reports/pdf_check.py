"""The signature check of an untrusted PDF, run in a separate process under hard limits.

Anybody may upload a PDF to the public verification page, and parsing one is open-ended: a
file of a few megabytes can declare hundreds of thousands of signature fields or objects and
keep pyHanko busy for minutes and a gigabyte of memory. So the web process never parses an
upload itself. It first counts, in the raw bytes, what the file declares (``raw_excess``:
objects, revisions, signature fields); then ``run()`` checks it in a child process:

    python -m reports.pdf_check CERTIFICATE.pem '{"max_objects": ..., ...}'  < upload.pdf

The child is a fresh interpreter, so it shares nothing with the web process (no threads, no
database connection); importing pyHanko costs it most of a second, which a public page that
checks one file at a time can afford. It limits its own address space and CPU time
(``RLIMIT_AS``, ``RLIMIT_CPU``), checks the same counts again on what pyHanko actually read
(object streams hide objects from the raw count, not from the cross-reference sections),
validates the last signature against the installation's certificate, and prints one JSON
object. The parent kills it after a wall-clock timeout, and at most
``ALIANZA_VERIFY_CONCURRENT_CHECKS`` children run at once on a machine (``slot()``). Any
limit reached means "this file could not be checked", never a stalled worker.

This module imports nothing of Django; the caller (``reports.signing.check_signature``) turns
the outcome into translated words.
"""

import contextlib
import fcntl
import io
import json
import logging
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

# Outcomes the child reports.
SIGNED = "signed"
NO_SIGNATURE = "no_signature"
UNREADABLE = "unreadable"
DAMAGED = "damaged"
TOO_COMPLEX = "too_complex"


@dataclass(frozen=True)
class Limits:
    """What one check may cost. The defaults are far above any document Alianza issues (a few
    hundred objects, one revision per signature) and far below what stalls a worker."""

    max_objects: int = 20_000
    max_revisions: int = 100
    max_signature_fields: int = 100
    memory_mb: int = 768
    cpu_seconds: int = 5


# Counted in the raw bytes, before anything is parsed: cheap (byte counts and a few regular
# expressions that start with a literal, over at most the upload limit) and enough to refuse
# the obvious cases without starting a process.
_SIGNATURE_FIELD = re.compile(rb"/FT\s*/Sig\b")
# What the cross-reference sections declare, which pyHanko reads in full on opening a file.
# They are always in the clear (a cross-reference stream's dictionary is never compressed),
# even when the objects themselves hide in compressed object streams: the /Size of each
# trailer or stream, the counts in each stream's /Index, and the 20-byte entries of tables.
_DECLARED_SIZE = re.compile(rb"/Size\s+(\d{1,12})\b")
_INDEX = re.compile(rb"/Index\s*\[([\d\s]*)\]")
_SUBSECTION = re.compile(rb"[ \t\r\n]*(\d{1,12})[ \t]+(\d{1,12})[ \t]*(?:\r\n|\r|\n)")


def _table_entries(pdf: bytes) -> int:
    """The entries the cross-reference tables' subsection headers announce."""
    total, start = 0, 0
    while (found := pdf.find(b"xref", start)) >= 0:
        start = found + 4
        if pdf[max(0, found - 5) : found] == b"start":
            continue
        position = start
        while header := _SUBSECTION.match(pdf, position):
            count = int(header.group(2))
            total += count
            position = header.end() + 20 * count  # entries are 20 bytes each
    return total


def _declared_entries(pdf: bytes) -> int:
    sizes = max((int(m.group(1)) for m in _DECLARED_SIZE.finditer(pdf)), default=0)
    indexed = sum(sum(int(n) for n in m.group(1).split()[1::2]) for m in _INDEX.finditer(pdf))
    return max(sizes, indexed, _table_entries(pdf))


def raw_excess(pdf: bytes, limits: Limits) -> str:
    """The name of the first limit the raw bytes already exceed, or ""."""
    # Every object starts with "N G obj" and ends with "endobj".
    headers = pdf.count(b"obj") - pdf.count(b"endobj")
    if max(headers, _declared_entries(pdf)) > limits.max_objects:
        return "max_objects"
    if pdf.count(b"startxref") > limits.max_revisions:
        return "max_revisions"
    fields = _SIGNATURE_FIELD.finditer(pdf)
    if any(count > limits.max_signature_fields for count, _ in enumerate(fields, start=1)):
        return "max_signature_fields"
    return ""


def _limit_self(limits: Limits) -> None:
    import resource

    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the soft limit ends the process (its default action); the hard limit kills.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))


def _object_count(reader) -> int:
    xrefs = reader.xrefs
    return sum(
        len(xrefs.get_xref_data(revision).explicit_refs_in_revision)
        for revision in range(xrefs.total_revisions)
    )


def inspect(pdf: bytes, trust_root_pem: bytes, limits: Limits) -> dict:
    """What the last signature of ``pdf`` says, checked against the certificate
    ``trust_root_pem``; one of the outcomes above under ``"outcome"``."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    excess = raw_excess(pdf, limits)
    if excess:
        return {"outcome": TOO_COMPLEX, "limit": excess}
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        if reader.xrefs.total_revisions > limits.max_revisions:
            return {"outcome": TOO_COMPLEX, "limit": "max_revisions"}
        if _object_count(reader) > limits.max_objects:
            return {"outcome": TOO_COMPLEX, "limit": "max_objects"}
        # Counted lazily: the walk stops at the first field over the limit.
        for count, _field in enumerate(enumerate_sig_fields(reader), start=1):
            if count > limits.max_signature_fields:
                return {"outcome": TOO_COMPLEX, "limit": "max_signature_fields"}
        signatures = reader.embedded_signatures
    except MemoryError:
        return {"outcome": TOO_COMPLEX, "limit": "memory_mb"}
    except Exception as exc:  # a damaged file is an answer, not an error
        return {"outcome": UNREADABLE, "detail": repr(exc)[:300]}
    if not signatures:
        return {"outcome": NO_SIGNATURE}
    if pem.detect(trust_root_pem):
        _type, _headers, trust_root_pem = pem.unarmor(trust_root_pem)
    own = x509.Certificate.load(trust_root_pem)
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(
            signature, ValidationContext(trust_roots=[own], allow_fetching=False)
        )
    except MemoryError:
        return {"outcome": TOO_COMPLEX, "limit": "memory_mb"}
    except Exception as exc:
        return {"outcome": DAMAGED, "detail": repr(exc)[:300]}
    cert = status.signing_cert
    signed_at = status.signer_reported_dt
    return {
        "outcome": SIGNED,
        "intact": bool(status.intact and status.valid),
        "entire_file": status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        "signer_sha256": cert.sha256.hex() if cert is not None else "",
        "signed_at": signed_at.isoformat() if signed_at else "",
        "reason": str(signature.sig_object.get("/Reason", "")),
    }


class Busy(Exception):
    """Every checking slot of this machine stayed taken while the caller waited."""


@contextlib.contextmanager
def slot(directory: Path, slots: int, *, wait: float = 1.0):
    """Hold one of ``slots`` checking slots of this machine (lock files in ``directory``,
    shared by every web process; the kernel releases a dead process's lock), waiting up to
    ``wait`` seconds for one, else raise ``Busy``. Checks beyond the slots are refused at
    once instead of holding more web workers, so the site keeps answering."""
    directory.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for number in range(max(1, slots)):
            handle = open(directory / f"slot-{number}.lock", "a")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
                return
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
        if time.monotonic() >= deadline:
            raise Busy()
        time.sleep(0.1)


def run(pdf: bytes, certificate: Path, limits: Limits) -> dict | None:
    """``inspect()`` in a limited child process: its outcome, or None when the child was
    stopped by a limit (memory, CPU, the wall-clock timeout) or failed."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "reports.pdf_check", str(certificate)]
            + [json.dumps(asdict(limits))],
            input=pdf,
            capture_output=True,
            cwd=Path(__file__).resolve().parent.parent,
            # CPU time is limited inside the child; this bounds the wall-clock time too (a
            # child that waits), with room for a busy machine that gives it little CPU.
            timeout=limits.cpu_seconds * 3 + 10,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        return None
    if done.returncode != 0:  # killed by a limit (SIGXCPU, SIGKILL) or failed
        logger.info("PDF check ended with %s: %s", done.returncode, done.stderr[-500:])
        return None
    try:
        return json.loads(done.stdout)
    except ValueError:
        return None


def main(argv: list[str]) -> int:
    certificate, limits = Path(argv[1]), Limits(**json.loads(argv[2]))
    _limit_self(limits)
    pdf = sys.stdin.buffer.read()
    # pyHanko warns once per odd field: a hostile file would fill the log.
    logging.disable(logging.WARNING)
    try:
        outcome = inspect(pdf, certificate.read_bytes(), limits)
    except MemoryError:
        outcome = {"outcome": TOO_COMPLEX, "limit": "memory_mb"}
    sys.stdout.write(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

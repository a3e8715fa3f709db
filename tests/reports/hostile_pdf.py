"""Hostile PDFs for the public verification page: a genuine signed file with an incremental
update whose AcroForm lists a huge number of signature fields, all pointing at the genuine
signature. pyHanko builds and sorts one embedded signature per field (about a millisecond
each), so such a file used to hold a web worker for minutes.

- ``plain``: the fields are ordinary objects (about 60 bytes each: 145,000 fields make 9 MB);
  visible in the raw bytes.
- ``compressed``: the fields hide in one Flate-compressed object stream, so the raw bytes show
  a handful of objects; ``honest_size=False`` also declares the original object count in the
  cross-reference stream, so only what pyHanko reads tells.
"""

import io
import re
import struct
import zlib

from pyhanko.pdf_utils.reader import PdfFileReader


def hostile_pdf(
    signed: bytes, *, fields: int = 145_000, compressed: bool = False, honest_size: bool = True
) -> bytes:
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    root = reader.trailer.raw_get("/Root").idnum
    pages = reader.root.raw_get("/Pages").idnum
    signature_value = reader.root["/AcroForm"]["/Fields"][0].get_object().raw_get("/V").idnum
    previous_xref = int(list(re.finditer(rb"startxref\s+(\d+)", signed))[-1].group(1))
    first = int(reader.trailer["/Size"])
    ids = range(first, first + fields)
    out = bytearray(signed + b"\n")
    entries: dict[int, tuple[int, int, int]] = {}  # object id -> xref stream row
    if compressed:
        stream_id = first + fields
        offsets, body = [], bytearray()
        for n, i in enumerate(ids):
            offsets.append(b"%d %d" % (i, len(body)))
            body += b"<</FT/Sig/T(f%d)/V %d 0 R>>\n" % (i, signature_value)
            entries[i] = (2, stream_id, n)
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + bytes(body), 9)
        entries[stream_id] = (1, len(out), 0)
        out += b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n" % (
            stream_id,
            fields,
            len(head),
            len(data),
        )
        out += data + b"\nendstream\nendobj\n"
        size = stream_id + 1
    else:
        for i in ids:
            entries[i] = (1, len(out), 0)
            out += b"%d 0 obj<</FT/Sig/T(f%d)/V %d 0 R>>endobj\n" % (i, i, signature_value)
        size = first + fields
    entries[root] = (1, len(out), 0)
    out += b"%d 0 obj\n<</Type/Catalog/Pages %d 0 R/AcroForm<</SigFlags 3/Fields[" % (root, pages)
    out += b" ".join(b"%d 0 R" % i for i in ids) + b"]>>>>\nendobj\n"
    xref_id, size = size, size + 1
    entries[xref_id] = (1, len(out), 0)
    rows, index = bytearray(), []
    for i in sorted(entries):
        rows += struct.pack(">BII", *entries[i])
        if index and index[-2] + index[-1] == i:
            index[-1] += 1
        else:
            index += [i, 1]
    data = zlib.compress(bytes(rows), 9)
    declared = size if honest_size else first
    out += b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 4]/Index[%s]/Root %d 0 R/Prev %d" % (
        xref_id,
        declared,
        b" ".join(b"%d" % n for n in index),
        root,
        previous_xref,
    )
    out += b"/Filter/FlateDecode/Length %d>>stream\n" % len(data)
    out += data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % entries[xref_id][1]
    return bytes(out)

"""Hostile files, generated small: each one a real attack shape, at the size of a test."""

import io
import zipfile

import tablib


def xlsx(rows=(("Numéro d'inventaire", "Type"), ("A-1", "Portable"))):
    data = tablib.Dataset(headers=list(rows[0]))
    for row in rows[1:]:
        data.append(list(row))
    return data.export("xlsx")


def rezip(data, change):
    """A copy of an archive whose entries pass through change(name, bytes) -> bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def xlsx_huge_dimension():
    """1.8 KB that declares the whole sheet, A1:XFD1048576 (16,384 × 1,048,576 cells)."""

    def change(name, content):
        if name.startswith("xl/worksheets/sheet"):
            import re

            content = re.sub(rb"<dimension ref=\"[^\"]*\"/>", b"", content)
            return content.replace(b"<sheetData", b'<dimension ref="A1:XFD1048576"/><sheetData')
        return content

    return rezip(xlsx(), change)


def zeros_entry(name, megabytes, archive_kind="ods", target=None):
    """An archive whose one entry is megabytes of zeros (a 1000:1 ratio), returned as
    bytes or, for the benchmark's gigabytes, written into the file object target."""
    out = target or io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if archive_kind == "ods":
            z.writestr(
                "mimetype",
                "application/vnd.oasis.opendocument.spreadsheet",
                compress_type=zipfile.ZIP_STORED,
            )
        with z.open(name, "w", force_zip64=megabytes > 2000) as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                entry.write(chunk)
    return None if target else out.getvalue()


def xlsx_big_shared_string(megabytes, target=None):
    """An XLSX whose shared-strings table holds one string of `megabytes` MB, returned
    as bytes or written into the file object target."""
    source = zipfile.ZipFile(io.BytesIO(xlsx()))
    out = target or io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                z.writestr(info, source.read(info.filename))
        with z.open("xl/sharedStrings.xml", "w", force_zip64=megabytes > 2000) as entry:
            entry.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            )
            chunk = b"A" * (1 << 20)
            for _ in range(megabytes):
                entry.write(chunk)
            entry.write(b"</t></si></sst>")
    return None if target else out.getvalue()


YAML_BOMB = (
    b"a: &a [x, x, x, x, x, x, x, x, x]\n"
    b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    b"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    b"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    b"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    b"items: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
)


def zip_with_flags(*, encrypted=False, method=None, bad_crc=False):
    """A zip of one markdown file with the encrypted flag set, an unknown compression
    method, or a wrong CRC."""
    body = b"---\nidbp: a.1\ntitle: T\n---\ntexte\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a/pratique.md", body)
    data = bytearray(out.getvalue())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    if encrypted:
        for header, offset in ((local, 6), (central, 8)):
            data[header + offset] |= 0x01
    if method is not None:
        for header, offset in ((local, 8), (central, 10)):
            data[header + offset : header + offset + 2] = method.to_bytes(2, "little")
    if bad_crc:
        for header, offset in ((local, 14), (central, 16)):
            data[header + offset] ^= 0xFF
    return bytes(data)


def nested_json(depth):
    return ("[" * depth + "]" * depth).encode()

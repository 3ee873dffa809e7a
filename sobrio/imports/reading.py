"""Tables from CSV, XLSX and ODS files, read row by row within bounded memory and time.

`read_table(source, filename, limits)` checks the declared size before reading, checks
an archive's entries (sizes, ratio, encryption, compression method) before unpacking,
and returns a Table whose rows are streamed: a limit (columns, rows, cell size) stops
the reading with a problem that names the line and the setting. Nothing is kept but
the row being read. Also here: YAML without aliases and JSON with bounded nesting.
"""

import codecs
import csv
import datetime
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from sobrio.imports import budget
from sobrio.imports.limits import MB, Limits
from sobrio.imports.problems import ImportFailure, Problem

CHUNK = 1024 * 1024
MAX_ENTRIES = 10_000


class Formula(str):
    """A cell holding a formula: importers refuse it (its value is not in the file)."""


def fail(reason, filename, line=None, column=""):
    raise ImportFailure([Problem(reason, filename, line, column)])


class Source:
    """Bytes in memory or a file on disk, opened as often as needed."""

    def __init__(self, data=None, path=None):
        self.data, self.path = data, Path(path) if path else None
        self.storage = self.name = None

    @classmethod
    def stored(cls, storage, name):
        """A file of a Django storage (an import job's upload), opened through it."""
        source = cls()
        source.storage, source.name = storage, name
        return source

    @classmethod
    def of(cls, source):
        if isinstance(source, Source):
            return source
        if isinstance(source, bytes | bytearray | memoryview):
            return cls(data=bytes(source))
        return cls(path=source)

    def size(self):
        if self.storage is not None:
            return self.storage.size(self.name)
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def open(self):
        if self.storage is not None:
            return self.storage.open(self.name, "rb")
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")  # noqa: SIM115

    def head(self, n=8):
        with self.open() as handle:
            return handle.read(n)


@dataclass
class Table:
    header: list
    filename: str
    _rows: object  # () -> iterator of (line, cells)
    header_line: int = 1

    def rows(self):
        """(line number, cells) for every non-blank row under the header."""
        return self._rows()


def column_name(header, index):
    label = header[index] if index < len(header) and str(header[index]).strip() else ""
    return str(label) if label else f"n° {index + 1}"


def read_table(source, filename, limits=None, sheet=0):
    """Header and streamed rows of a CSV, XLSX or ODS file; ImportFailure otherwise.

    sheet: which sheet of a workbook (the first by default).
    """
    limits = limits or Limits()
    source = Source.of(source)
    size = source.size()
    if size == 0:
        fail("fichier vide", filename)
    too_big = limits.too_big(size)
    if too_big:
        fail(too_big, filename)
    head = source.head()
    lower = filename.lower()
    if head[:4] == b"PK\x03\x04" or lower.endswith((".xlsx", ".ods", ".xlsm")):
        archive = open_zip(source, filename, limits, what="classeur")
        names = set(archive.namelist())
        archive.close()
        if "content.xml" in names:
            return _ods_table(source, filename, limits, sheet)
        if "xl/workbook.xml" in names:
            return _xlsx_table(source, filename, limits, sheet)
        fail("archive qui n'est ni un classeur XLSX ni un classeur ODS", filename)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        fail("ancien format Excel (.xls) : enregistrez le classeur en XLSX ou en CSV", filename)
    return _csv_table(source, filename, limits)


def _first_row(rows, filename):
    for line, cells in rows:
        return line, cells
    fail("aucune ligne de données sous l'en-tête", filename)
    return None


def sheet_pairs(source, filename, limits=None, sheet=1, most=200):
    """Key/value rows of a workbook's other sheet (metadata), or {} when it has none."""
    try:
        table = read_table(source, filename, limits, sheet=sheet)
    except ImportFailure:
        return {}
    pairs = {}
    for _line, cells in [(table.header_line, table.header), *table.rows()][:most]:
        if len(cells) >= 2 and not _blank(cells[0]):
            pairs[str(cells[0]).strip().lower()] = cells[1]
    return pairs


def _table(filename, make_rows, limits):
    """A Table whose first non-blank row is the header."""

    def bounded():
        count = 0
        for line, cells in make_rows():
            if not line % 256:
                budget.check()
            if len(cells) > limits.max_columns:
                fail(
                    f"trop de colonnes : {len(cells)} pour {limits.max_columns} au plus "
                    "(réglage SOBRIO_IMPORT_MAX_COLUMNS)",
                    filename,
                    line,
                )
            for i, cell in enumerate(cells):
                if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
                    fail(
                        f"cellule trop longue : {len(cell)} caractères pour "
                        f"{limits.max_cell_chars} au plus (réglage SOBRIO_IMPORT_MAX_CELL_CHARS)",
                        filename,
                        line,
                        f"n° {i + 1}",
                    )
            if any(_blank(c) is False for c in cells):
                count += 1
                if count > limits.max_rows + 1:
                    fail(
                        f"trop de lignes : plus de {limits.max_rows} "
                        "(réglage SOBRIO_IMPORT_MAX_ROWS)",
                        filename,
                        line,
                    )
                yield line, cells

    header_line, header = _first_row(bounded(), filename)
    header = ["" if h is None else str(h).strip() for h in header]
    while header and not header[-1]:
        header.pop()

    def rows():
        it = bounded()
        for line, _cells in it:
            if line == header_line:
                break
        for line, cells in it:
            yield line, cells

    table = Table(header, filename, rows, header_line)
    if len(header) < limits.min_columns:
        fail(
            "une seule colonne : vérifiez le séparateur (; , ou tabulation) ou le format",
            filename,
            header_line,
        )
    return table


def _blank(cell):
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return False


# --- CSV ----------------------------------------------------------------------------


def _encoding(source, filename):
    """UTF-8 (with or without BOM) or Windows-1252, checked chunk by chunk."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with source.open() as handle:
                while chunk := handle.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    fail("encodage non reconnu (UTF-8 ou Windows-1252 attendu)", filename)
    return None


def decode_text(data, filename, limits=None):
    """Text of a small file in UTF-8 (with or without BOM) or Windows-1252."""
    limits = limits or Limits()
    too_big = limits.too_big(len(data))
    if too_big:
        fail(too_big, filename)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    fail("encodage non reconnu (UTF-8 ou Windows-1252 attendu)", filename)
    return None


def _csv_table(source, filename, limits):
    encoding = _encoding(source, filename)
    with source.open() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first = text.readline(1024 * 1024)
    if "\x00" in first:
        fail("fichier binaire : CSV, XLSX ou ODS attendu", filename)
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] + 1 > limits.max_columns:
        fail(
            f"trop de colonnes : {counts[delimiter] + 1} pour {limits.max_columns} au plus "
            "(réglage SOBRIO_IMPORT_MAX_COLUMNS)",
            filename,
            1,
        )

    def rows():
        with source.open() as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            reader = csv.reader(text, delimiter=delimiter)
            try:
                for cells in reader:
                    yield (
                        reader.line_num,
                        [Formula(c) if c.startswith("=") and len(c) > 1 else c for c in cells],
                    )
            except csv.Error as error:
                if "NUL" in str(error):
                    fail("fichier binaire : CSV, XLSX ou ODS attendu", filename, reader.line_num)
                fail(f"CSV illisible ({error})", filename, reader.line_num + 1)

    return _table(filename, rows, limits)


# --- archives -------------------------------------------------------------------------


def open_zip(source, filename, limits=None, what="archive"):
    """A ZipFile whose every entry was checked before anything is unpacked."""
    limits = limits or Limits()
    source = Source.of(source)
    try:
        archive = zipfile.ZipFile(source.open())
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        fail(f"{what} illisible ({error})", filename)
    if len(infos) > MAX_ENTRIES:
        fail(f"archive de plus de {MAX_ENTRIES} fichiers", filename)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            fail(f"archive chiffrée ({info.filename}) : enregistrez-la sans mot de passe", filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            fail(
                f"méthode de compression non prise en charge ({info.filename}) : "
                "seules « stockée » et « deflate » sont lues",
                filename,
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MB and ratio > limits.max_ratio:
            fail(
                f"archive suspecte : {info.filename} grossit {ratio:.0f} fois une fois "
                f"décompressé ({limits.max_ratio} au plus, réglage SOBRIO_IMPORT_MAX_RATIO)",
                filename,
            )
        if total > MB and total / max(source.size(), 1) > limits.max_ratio:
            fail(
                f"archive suspecte : elle grossit {total / max(source.size(), 1):.0f} fois une "
                f"fois décompressée ({limits.max_ratio} au plus, réglage "
                "SOBRIO_IMPORT_MAX_RATIO)",
                filename,
            )
        if total > limits.max_unpacked:
            fail(
                f"archive trop grosse une fois décompressée : plus de "
                f"{limits.max_unpacked / MB:g} Mo (réglage SOBRIO_IMPORT_MAX_UNPACKED_MB)",
                filename,
            )
    return archive


def read_member(archive, name, filename):
    """The bytes of one checked entry; a damaged entry is the user's problem, not a 500."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as error:
        fail(f"archive abîmée ({name} : {error})", filename)
    return None


# --- XLSX ----------------------------------------------------------------------------


def _xlsx_table(source, filename, limits, index=0):
    archive = open_zip(source, filename, limits)
    strings = [i for i in archive.infolist() if i.filename == "xl/sharedStrings.xml"]
    archive.close()
    if strings and strings[0].file_size > limits.max_unpacked // 5:
        fail(
            "table des textes partagés trop grosse une fois décompressée "
            "(réglage SOBRIO_IMPORT_MAX_UNPACKED_MB)",
            filename,
        )

    def rows():
        import openpyxl

        handle = source.open()
        line = 0
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        except Exception as error:  # noqa: BLE001 - any parser failure is a bad file
            handle.close()
            fail(f"classeur XLSX illisible ({type(error).__name__})", filename)
        try:
            if len(book.worksheets) <= index:
                fail("classeur sans feuille" if not index else f"pas de feuille n° {index + 1}",
                     filename)  # fmt: skip
            sheet = book.worksheets[index]
            sheet.reset_dimensions()  # a declared A1:XFD1048576 must not size anything
            for values in sheet.iter_rows(values_only=True):
                line += 1
                if line > limits.max_rows + 2:
                    fail(
                        f"trop de lignes : plus de {limits.max_rows} "
                        "(réglage SOBRIO_IMPORT_MAX_ROWS)",
                        filename,
                        line,
                    )
                cells = list(values)
                while cells and cells[-1] is None:
                    cells.pop()
                yield line, [_xlsx_value(c) for c in cells]
        except ImportFailure:
            raise
        except Exception as error:  # noqa: BLE001
            fail(f"classeur XLSX illisible ({type(error).__name__})", filename, line or None)
        finally:
            book.close()
            handle.close()

    return _table(filename, rows, limits)


def _xlsx_value(value):
    if isinstance(value, str) and value.startswith("=") and len(value) > 1:
        return Formula(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


# --- ODS ---------------------------------------------------------------------------

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _q(ns, name):
    return f"{{{ns}}}{name}"


ROW, CELL, COVERED = (
    _q(TABLE, "table-row"),
    _q(TABLE, "table-cell"),
    _q(TABLE, "covered-table-cell"),
)
SHEET = _q(TABLE, "table")


def _ods_table(source, filename, limits, index=0):
    def rows():
        from defusedxml.ElementTree import iterparse

        archive = open_zip(source, filename, limits)
        line, sheets, stack = 0, 0, []
        try:
            with archive.open("content.xml") as handle:
                for event, element in iterparse(handle, events=("start", "end")):
                    if event == "start":
                        stack.append(element)
                        if element.tag == SHEET:
                            sheets += 1
                        continue
                    stack.pop()
                    if element.tag == SHEET:
                        if sheets == index + 1:
                            return  # one sheet only
                        continue
                    if sheets != index + 1 or element.tag != ROW:
                        continue
                    repeat = _repeat(element, "number-rows-repeated")
                    cells = _ods_cells(element, limits, filename, line + 1)
                    if stack:  # drop the row from the tree: memory stays one row
                        stack[-1].remove(element)
                    if not cells:
                        line += repeat
                        if line > limits.max_rows + 2:
                            fail(
                                f"trop de lignes : plus de {limits.max_rows} "
                                "(réglage SOBRIO_IMPORT_MAX_ROWS)",
                                filename,
                                line,
                            )
                        continue
                    for _ in range(min(repeat, limits.max_rows + 2)):
                        line += 1
                        yield line, list(cells)
        except ImportFailure:
            raise
        except Exception as error:  # noqa: BLE001 - damaged XML, bad CRC, forbidden DTD...
            fail(f"classeur ODS illisible ({type(error).__name__})", filename, line or None)
        finally:
            archive.close()

    return _table(filename, rows, limits)


def _repeat(element, name):
    try:
        return max(int(element.get(_q(TABLE, name), "1")), 1)
    except ValueError:
        return 1


def _ods_cells(row, limits, filename, line):
    cells, pending = [], 0  # empty cells are only materialised before a filled one
    for cell in row:
        if cell.tag not in (CELL, COVERED):
            continue
        repeat = _repeat(cell, "number-columns-repeated")
        value = _ods_value(cell)
        if value is None:
            pending += repeat
            continue
        if len(cells) + pending + repeat > limits.max_columns:
            fail(
                f"trop de colonnes : plus de {limits.max_columns} "
                "(réglage SOBRIO_IMPORT_MAX_COLUMNS)",
                filename,
                line,
            )
        cells.extend([None] * pending)
        pending = 0
        cells.extend([value] * repeat)
    return cells


def _ods_value(cell):
    if cell.get(_q(TABLE, "formula")):
        return Formula(cell.get(_q(TABLE, "formula")))
    kind = cell.get(_q(OFFICE, "value-type"))
    if kind in ("float", "percentage", "currency"):
        try:
            number = float(cell.get(_q(OFFICE, "value"), ""))
        except ValueError:
            number = None
        if number is not None:
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "date":
        text = cell.get(_q(OFFICE, "date-value"), "")
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            return text
    if kind == "boolean":
        return cell.get(_q(OFFICE, "boolean-value")) == "true"
    lines = ["".join(p.itertext()) for p in cell if p.tag == _q(TEXT, "p")]
    text = "\n".join(lines)
    return text if text.strip() else None


# --- structured documents -----------------------------------------------------------------


def load_yaml(text, filename):
    """YAML with no aliases: an alias bomb of a few hundred bytes never expands."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise ImportFailure(
                    [
                        Problem(
                            "alias YAML refusé (*nom) : écrivez la valeur",
                            filename,
                            mark.line + 1 if mark else None,
                            str(mark.column + 1) if mark else "",
                        )
                    ]
                )
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ImportFailure(
            [
                Problem(
                    f"YAML invalide ({getattr(error, 'problem', None) or error})",
                    filename,
                    mark.line + 1 if mark else None,
                    str(mark.column + 1) if mark else "",
                )
            ]
        ) from None


class _NotANumber(ValueError):
    pass


def _refuse_constant(name):
    raise _NotANumber(name)


def load_json(text, filename):
    """Strict JSON: NaN and Infinity (which Python's json accepts) are refused, and so is
    a nesting deep enough to exhaust the stack."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except _NotANumber as error:
        before = text[: text.find(str(error))] if str(error) in text else ""
        line = before.count("\n") + 1 if before else None
        column = str(len(before) - before.rfind("\n")) if before else ""
        raise ImportFailure(
            [Problem(f"JSON : {error} n'est pas un nombre (refusé)", filename, line, column)]
        ) from None
    except json.JSONDecodeError as error:
        raise ImportFailure(
            [Problem(f"JSON invalide : {error.msg}", filename, error.lineno, str(error.colno))]
        ) from None
    except RecursionError:
        raise ImportFailure([Problem("JSON trop imbriqué", filename)]) from None

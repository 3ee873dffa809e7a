"""Writing tables that leave Sobrio: spreadsheet formulas are never live in them.

A cell that starts with = + - @, a tab or a carriage return is read as a formula by
spreadsheets (CSV injection, OWASP): such a text is written with a leading apostrophe,
which spreadsheets show as text. Numbers stay numbers.
"""

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row):
    return [safe_cell(str(v)) if _lazy(v) else safe_cell(v) for v in row]


def _lazy(value):
    return type(value).__name__ == "__proxy__"  # a lazy translation: write it as text


def french_number(value, digits=2):
    """12345.678 -> "12345,68": what a French spreadsheet reads as a number."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if text not in ("-0", "") else "0"


def french_significant(value, significant=4):
    """0.000412345 -> "0,0004123", 228247.7 -> "228248": enough digits, French comma."""
    import math

    if value is None:
        return ""
    if isinstance(value, int) or value == 0:
        return str(int(value))
    digits = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def csv_text(header, rows, *, delimiter=";"):
    """CSV with a BOM (so spreadsheets read UTF-8), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return "\ufeff" + out.getvalue()


def dataset(header, rows, title=""):
    """A tablib Dataset with every text cell made safe (XLSX and ODS exports)."""
    import tablib

    data = tablib.Dataset(headers=safe_row(header), title=title[:31])
    for row in rows:
        data.append(safe_row(row))
    return data


def _csv_value(value):
    import datetime

    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return french_number(value)
    return value


def csv_stream(header, rows, *, delimiter=";"):
    """CSV written as it is read (StreamingHttpResponse): BOM, safe cells, French dates."""

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo(), delimiter=delimiter)
    yield "\ufeff" + writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row([_csv_value(v) for v in row]))


def xlsx_bytes(header, rows, title="export"):
    """An XLSX written row by row (openpyxl's write-only mode), every text cell made safe."""
    return xlsx_book([(title, header, rows)])


def xlsx_book(sheets):
    """An XLSX of several sheets: [(title, header, rows)], written as xlsx_bytes writes."""
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append(safe_row(header))
        for row in rows:
            sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

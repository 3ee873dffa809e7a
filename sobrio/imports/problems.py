"""Problems found in a file: where (file, line, column), why, and how many alike."""

from dataclasses import dataclass


@dataclass
class Problem:
    reason: str
    file: str = ""
    line: int | None = None
    column: str = ""
    warning: bool = False  # possible but unlikely: shown, never blocks the import

    def where(self):
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"ligne {self.line}")
        if self.column:
            parts.append(f"colonne {self.column}")
        return ", ".join(parts)

    def __str__(self):
        where = self.where()
        return f"{where} : {self.reason}" if where else self.reason


class ImportFailure(Exception):
    """Nothing was written: every problem is listed with its place."""

    def __init__(self, problems):
        self.problems = [p if isinstance(p, Problem) else Problem(str(p)) for p in problems]
        super().__init__("; ".join(str(p) for p in self.problems))


def errors(problems):
    return [p for p in problems if not p.warning]


def warnings(problems):
    return [p for p in problems if p.warning]


def line_ranges(lines, limit=12):
    """[2, 3, 4, 9] -> "2–4, 9"; long lists end with "…"."""
    out, start, previous = [], None, None
    for line in sorted(set(lines)):
        if start is None:
            start = previous = line
        elif line == previous + 1:
            previous = line
        else:
            out.append((start, previous))
            start = previous = line
    if start is not None:
        out.append((start, previous))
    text = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in out[:limit])
    return text + (", …" if len(out) > limit else "")


@dataclass
class Cause:
    """Problems of one kind: the same reason in the same column."""

    reason: str
    column: str
    warning: bool
    count: int
    lines: str  # "2–413, 415"

    def __str__(self):
        where = f"colonne {self.column} : " if self.column else ""
        noun = "ligne" if self.count == 1 else "lignes"
        at = f", {noun} {self.lines}" if self.lines else ""
        return f"{where}{self.reason} : {self.count} {noun}{at}"


def group(problems):
    """Problems grouped by cause, the most frequent first."""
    causes = {}
    for p in problems:
        key = (p.warning, p.column, p.reason)
        causes.setdefault(key, []).append(p.line)
    out = [
        Cause(reason, column, warning, len(lines), line_ranges(n for n in lines if n is not None))
        for (warning, column, reason), lines in causes.items()
    ]
    out.sort(key=lambda c: (c.warning, -c.count))
    return out


def as_csv(problems):
    """Every problem, for people to fix their file in a spreadsheet."""
    from sobrio.imports.exporting import csv_text

    return csv_text(
        ["fichier", "ligne", "colonne", "gravité", "motif"],
        (
            [p.file, "" if p.line is None else p.line, p.column,
             "avertissement" if p.warning else "erreur", p.reason]
            for p in problems
        ),
    )  # fmt: skip

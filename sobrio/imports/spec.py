"""An importer is a list of fields: how each header is spelled and how each value is read.

`analyse` reads a table once and keeps what the mapping step needs: the distinct values
of the mapped columns (categories, units...), every other problem grouped by cause, and
a few arrays per row (line, static problems, which value, which fields are filled).
`resolve` then applies a value mapping to that summary without reading the file again,
and `clean_rows` reads the file a second and last time to give the rows to write.
Plain Python and numpy, no Django.
"""

from dataclasses import dataclass, field

from sobrio.imports.problems import ImportFailure, Problem, group, line_ranges
from sobrio.imports.reading import Formula, column_name
from sobrio.imports.values import norm

SKIP = "__skip__"  # leave out the rows with this value
CREATE = "__create__"  # create what the value names (units from a path)
MAX_DISTINCT = 20_000
MAX_CAUSE_LINES = 2_000  # lines kept per cause to say where it is


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # the header of Sobrio's template, in French
    spellings: tuple = ()  # other headers meaning this field (FR and EN)
    parse: object = None  # raw cell -> value; raises ValueError(reason)
    required: bool = False
    mapped: bool = False  # its values go through the value-mapping step
    max_length: int = 0


@dataclass(frozen=True)
class ResolvedCheck:
    """A problem that depends on a mapped value, e.g. a retired status without its date."""

    field: str  # the mapped field
    targets: object  # callable(target) -> bool: the values concerned
    present: str  # a field whose presence (or absence) makes the problem
    when_present: bool
    reason: str
    warning: bool = True


@dataclass
class Spec:
    key: str
    label: str
    fields: tuple
    unique: str = ""  # a field whose value appears once in a file
    check: object = None  # callable(row) -> [(field, reason, warning)]
    resolved_checks: tuple = ()

    def __post_init__(self):
        self.by_name = {f.name: f for f in self.fields}
        self.index = {}
        for f in self.fields:
            for spelling in (f.label, f.name, *f.spellings):
                self.index.setdefault(norm(spelling), f.name)
        self.bits = {f.name: i for i, f in enumerate(self.fields)}
        if len(self.fields) > 63:
            raise ValueError("at most 63 fields")

    def guess_columns(self, header, remembered=None):
        """header index -> field: the remembered mapping first, then the known spellings.

        GLPI prefixes some headers with their tab ("Informations financières et
        administratives - Date d'achat"): the part after the last " - " is tried too.
        """
        remembered = remembered or {}
        out, taken = {}, set()
        for i, label in enumerate(header):
            key = norm(label)
            name = remembered.get(key) or self.index.get(key)
            if name is None and " - " in str(label):
                name = self.index.get(norm(str(label).rsplit(" - ", 1)[1]))
            if name in self.by_name and name not in taken:
                out[i] = name
                taken.add(name)
        return out

    def template_header(self):
        return [f.label for f in self.fields]


def missing_required(spec, columns):
    mapped = set(columns.values())
    return [f for f in spec.fields if f.required and f.name not in mapped]


def parse_row(spec, table, columns, line, cells):
    """(row of parsed values, texts of mapped fields, problems) for one line."""
    row, texts, problems = {}, {}, []
    bad_columns = set()
    for index, name in columns.items():
        raw = cells[index] if index < len(cells) else None
        if raw is None:
            continue
        f = spec.by_name[name]
        text = raw.strip() if isinstance(raw, str) else str(raw)
        if text == "":
            continue
        column = column_name(table.header, index)
        if isinstance(raw, Formula):
            problems.append(
                Problem("formule refusée : enregistrez les valeurs", table.filename, line, column)
            )
            bad_columns.add(index)
            continue
        if f.max_length and len(text) > f.max_length:
            problems.append(
                Problem(
                    f"texte trop long ({f.max_length} caractères au plus)",
                    table.filename,
                    line,
                    column,
                )
            )
            bad_columns.add(index)
            continue
        if f.mapped:
            texts[name] = text
            continue
        try:
            row[name] = f.parse(raw) if f.parse else text
        except ValueError as error:
            problems.append(Problem(str(error), table.filename, line, column))
            bad_columns.add(index)
    for index, cell in enumerate(cells):
        if index not in columns and isinstance(cell, Formula):
            problems.append(
                Problem(
                    "formule refusée : enregistrez les valeurs",
                    table.filename,
                    line,
                    column_name(table.header, index),
                )
            )
            break
    positions = {name: i for i, name in columns.items()}
    for f in spec.fields:
        if (
            f.required
            and f.name in positions
            and f.name not in row
            and f.name not in texts
            and positions[f.name] not in bad_columns
        ):
            problems.append(
                Problem(
                    "valeur obligatoire manquante",
                    table.filename,
                    line,
                    column_name(table.header, positions[f.name]),
                )
            )
    if spec.check and not problems:
        for name, reason, warning in spec.check(row):
            column = column_name(table.header, positions[name]) if name in positions else ""
            problems.append(Problem(reason, table.filename, line, column, warning))
    return row, texts, problems


class _Causes:
    """Problems grouped by cause as they come, keeping a bounded sample of lines."""

    def __init__(self):
        self.causes = {}

    def add(self, p):
        entry = self.causes.setdefault((p.warning, p.column, p.reason), [0, []])
        entry[0] += 1
        if len(entry[1]) < MAX_CAUSE_LINES and p.line is not None:
            entry[1].append(p.line)

    def as_list(self):
        out = [
            {"reason": r, "column": c, "warning": w, "count": n, "lines": line_ranges(lines)}
            for (w, c, r), (n, lines) in self.causes.items()
        ]
        out.sort(key=lambda d: (d["warning"], -d["count"]))
        return out


def analyse(spec, table, columns, *, progress=None, every=5000, sink=None):
    """One pass over the table: the summary of analysis.json and the per-row arrays."""
    import numpy as np  # loaded by the import that needs it, not at start-up

    missing = missing_required(spec, columns)
    if missing:
        raise ImportFailure(
            [
                Problem(
                    f"colonne obligatoire absente : {f.label}", table.filename, table.header_line
                )
                for f in missing
            ]
        )
    mapped = [f.name for f in spec.fields if f.mapped and f.name in columns.values()]
    distinct = {name: {} for name in mapped}  # norm -> [code, text, count]
    codes = {name: [] for name in mapped}
    lines, bad, present = [], [], []
    causes = _Causes()
    seen = {}
    unique_column = next((i for i, n in columns.items() if n == spec.unique), None)
    sample = []
    for n, (line, cells) in enumerate(table.rows(), start=1):
        row, texts, problems = parse_row(spec, table, columns, line, cells)
        if unique_column is not None:
            key = row.get(spec.unique) if spec.unique in row else texts.get(spec.unique)
            if key is not None:
                if key in seen:
                    problems.append(
                        Problem(
                            f"en double dans le fichier (déjà ligne {seen[key]})",
                            table.filename,
                            line,
                            column_name(table.header, unique_column),
                        )
                    )
                else:
                    seen[key] = line
        for p in problems:
            causes.add(p)
            if sink is not None:
                sink(p)
        lines.append(line)
        bad.append(any(not p.warning for p in problems))
        mask = 0
        for name in row:
            mask |= 1 << spec.bits[name]
        for name in mapped:
            text = texts.get(name)
            if text is None:
                codes[name].append(-1)
                continue
            mask |= 1 << spec.bits[name]
            key = norm(text)
            entry = distinct[name].get(key)
            if entry is None:
                if len(distinct[name]) >= MAX_DISTINCT:
                    raise ImportFailure(
                        [
                            Problem(
                                f"plus de {MAX_DISTINCT} valeurs différentes dans la colonne "
                                f"« {spec.by_name[name].label} »",
                                table.filename,
                                line,
                            )
                        ]
                    )
                entry = distinct[name][key] = [len(distinct[name]), text, 0]
            entry[2] += 1
            codes[name].append(entry[0])
        present.append(mask)
        if len(sample) < 5:
            sample.append({**{k: str(v) for k, v in row.items()}, **texts})
        if progress and n % every == 0:
            progress(n)
    if not lines:
        raise ImportFailure([Problem("aucune ligne de données sous l'en-tête", table.filename)])
    summary = {
        "header": table.header,
        "columns": {str(i): name for i, name in columns.items()},
        "rows": len(lines),
        "values": {
            name: [{"text": t, "norm": k, "count": c} for k, (_code, t, c) in values.items()]
            for name, values in distinct.items()
        },
        "causes": causes.as_list(),
        "sample": sample,
    }
    arrays = {
        "lines": np.array(lines, dtype=np.int64),
        "bad": np.array(bad, dtype=bool),
        "present": np.array(present, dtype=np.int64),
        **{f"code_{name}": np.array(c, dtype=np.int64) for name, c in codes.items()},
    }
    return summary, arrays


@dataclass
class Resolution:
    targets: dict  # field -> {norm: target | SKIP | CREATE}
    unresolved: dict  # field -> [value dicts], in the file's order
    causes: list  # every cause, static and from values, grouped
    rows: int
    valid: int
    skipped: int
    errors: int  # rows with at least one error
    warnings: int
    texts: dict = field(default_factory=dict)  # (field, normalised value) -> text in the file


def resolve(spec, summary, arrays, resolvers):
    """Apply resolvers (field -> callable(text, norm) -> target, SKIP, CREATE or None)."""
    import numpy as np  # loaded by the import that needs it, not at start-up

    n = summary["rows"]
    bad = arrays["bad"].copy()
    skipped = np.zeros(n, dtype=bool)
    targets, unresolved, causes = {}, {}, list(summary["causes"])
    texts = {}
    lines = arrays["lines"]
    where_column = {
        n: column_name(summary["header"], int(i)) for i, n in summary["columns"].items()
    }
    for name, values in summary["values"].items():
        resolver = resolvers[name]
        codes = arrays[f"code_{name}"]
        chosen = targets[name] = {}
        missing = []
        ok = np.zeros(len(values) + 1, dtype=bool)  # last slot: blank (-1)
        ok[-1] = True
        skip = np.zeros(len(values) + 1, dtype=bool)
        for i, value in enumerate(values):
            texts[(name, value["norm"])] = value["text"]
            target = resolver(value["text"], value["norm"])
            chosen[value["norm"]] = target
            if target is None:
                missing.append(i)
            else:
                ok[i] = True
                skip[i] = target == SKIP
        bad |= ~ok[codes]
        skipped |= skip[codes]
        label = where_column.get(name, spec.by_name[name].label)
        unresolved[name] = [values[i] for i in missing]
        for i in missing[:200]:
            where = lines[codes == i]
            causes.append(
                {
                    "reason": resolver.unknown(values[i]["text"])
                    if hasattr(resolver, "unknown")
                    else f"valeur inconnue « {values[i]['text'][:60]} »",
                    "column": label,
                    "warning": False,
                    "count": int(values[i]["count"]),
                    "lines": line_ranges(where[:MAX_CAUSE_LINES].tolist()),
                }
            )
        if len(missing) > 200:
            rest = sum(values[i]["count"] for i in missing[200:])
            causes.append(
                {
                    "reason": f"{len(missing) - 200} autres valeurs inconnues",
                    "column": label,
                    "warning": False,
                    "count": int(rest),
                    "lines": "",
                }
            )
    for check in spec.resolved_checks:
        codes = arrays.get(f"code_{check.field}")
        if codes is None:
            continue
        values = summary["values"][check.field]
        concerned = np.array(
            [check.targets(targets[check.field].get(v["norm"])) for v in values] + [False],
            dtype=bool,
        )
        has = (arrays["present"] & (1 << spec.bits[check.present])) != 0
        hit = concerned[codes] & (has if check.when_present else ~has) & ~skipped
        if hit.any():
            where = lines[hit]
            causes.append(
                {
                    "reason": check.reason,
                    "column": spec.by_name[check.present].label,
                    "warning": check.warning,
                    "count": int(hit.sum()),
                    "lines": line_ranges(where[:MAX_CAUSE_LINES].tolist()),
                }
            )
            if not check.warning:
                bad |= hit
    causes.sort(key=lambda d: (d["warning"], -d["count"]))
    counted = ~skipped
    return Resolution(
        targets=targets,
        unresolved=unresolved,
        causes=causes,
        rows=n,
        valid=int((~bad & counted).sum()),
        skipped=int(skipped.sum()),
        errors=int((bad & counted).sum()),
        warnings=sum(c["count"] for c in causes if c["warning"]),
        texts=texts,
    )


def clean_rows(spec, table, columns, resolution, *, valid_only, progress=None, every=5000):
    """The rows to write: (line, row with mapped values replaced by their targets).

    Raises ImportFailure on the first error unless valid_only (then the line is left out).
    Mapped values the user chose to create stay CREATE-tagged: ("__create__", text).
    """
    seen = set()
    for n, (line, cells) in enumerate(table.rows(), start=1):
        row, texts, problems = parse_row(spec, table, columns, line, cells)
        if spec.unique:
            key = row.get(spec.unique, texts.get(spec.unique))
            if key is not None and key in seen:
                problems.append(Problem("en double dans le fichier", table.filename, line))
            seen.add(key)
        skip = False
        for name, text in texts.items():
            target = resolution.targets.get(name, {}).get(norm(text))
            if target is None:
                problems.append(Problem(f"valeur inconnue « {text[:60]} »", table.filename, line))
            elif target == SKIP:
                skip = True
            elif target == CREATE:
                row[name] = (CREATE, text)
            else:
                row[name] = target
        if progress and n % every == 0:
            progress(n)
        if skip:
            continue
        errors = [p for p in problems if not p.warning]
        if errors:
            if valid_only:
                continue
            raise ImportFailure(errors)
        yield line, row


def cause_text(cause):
    """« colonne X : raison : 412 lignes, lignes 2–413 »"""
    noun = "ligne" if cause["count"] == 1 else "lignes"
    where = f"colonne {cause['column']} : " if cause["column"] else ""
    at = f", {noun} {cause['lines']}" if cause["lines"] else ""
    return f"{where}{cause['reason']} : {cause['count']} {noun}{at}"


def problems_of(causes):
    return [Problem(cause_text(c), warning=c["warning"]) for c in causes]


__all__ = ["CREATE", "SKIP", "Field", "ResolvedCheck", "Spec", "analyse", "group", "resolve"]

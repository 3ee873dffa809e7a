"""A factor set from a CSV file: one row per category, criterion and phase."""

from sobrio.imports.limits import Limits
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import read_table
from sobrio.imports.values import norm, parse_bool, parse_decimal

MAX_ROWS = 20_000

COLUMNS = {
    "categorie": "category",
    "category": "category",
    "critere": "criterion",
    "criterion": "criterion",
    "phase": "phase",
    "valeur": "value",
    "value": "value",
    "min": "min",
    "max": "max",
    "unite": "unit",
    "unit": "unit",
    "source": "source",
    "licence": "licence",
    "license": "licence",
    "date": "date",
    "estimation": "estimated",
    "estimated": "estimated",
}
REQUIRED = ("category", "criterion", "phase", "value", "unit", "source")
EMBODIED = {"gwp", "adpe", "pe"}
PARAMETERS = {"lifetime", "power", "use_ratio", "energy", "refurbished_avoided"}
PHASES = {
    "fabrication": "embodied",
    "embodied": "embodied",
    "parametre": "parameter",
    "parameter": "parameter",
}


def read(data, filename):
    table = read_table(data, filename, Limits.from_settings(max_rows=MAX_ROWS))
    header = [COLUMNS.get(norm(h)) for h in table.header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailure([Problem(f"colonnes manquantes : {', '.join(missing)}", filename, 1)])
    problems, rows, seen = [], [], set()
    for number, cells in table.rows():
        raw = {
            f: (str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "")
            for i, f in enumerate(header)
            if f
        }
        row, bad = {}, []
        phase = PHASES.get(norm(raw.get("phase")))
        criterion = norm(raw.get("criterion")).replace(" ", "_")
        if phase is None:
            bad.append(("phase", "phase inconnue (fabrication ou parametre)"))
        elif phase == "embodied" and criterion not in EMBODIED:
            bad.append(("critere", "critère inconnu (gwp, adpe ou pe)"))
        elif phase == "parameter" and criterion not in PARAMETERS:
            bad.append(
                (
                    "critere",
                    "paramètre inconnu (lifetime, power, use_ratio, energy ou refurbished_avoided)",
                )
            )
        for field in ("value", "min", "max"):
            text = raw.get(field, "")
            if not text and field != "value":
                continue
            try:
                row[field] = parse_decimal(text)
            except ValueError as error:
                bad.append((field, str(error)))
        for field in ("category", "unit", "source"):
            if not raw.get(field):
                bad.append((field, "valeur obligatoire manquante"))
        estimated = False
        try:
            estimated = parse_bool(raw.get("estimated", ""))
        except ValueError as error:
            bad.append(("estimation", str(error)))
        if not bad:
            value = row["value"]
            low, high = row.get("min", value), row.get("max", value)
            if not low <= value <= high:
                bad.append(("valeur", "min ≤ valeur ≤ max attendu"))
            if value < 0:
                bad.append(("valeur", "valeur négative"))
            key = (raw["category"], criterion, phase)
            if key in seen:
                bad.append(("categorie", "ligne en double pour cette catégorie et ce critère"))
            seen.add(key)
            rows.append(
                {
                    "category": raw["category"][:40],
                    "criterion": criterion,
                    "phase": phase,
                    "value": value,
                    "min": low,
                    "max": high,
                    "unit": raw["unit"][:30],
                    "source": raw["source"],
                    "licence": raw.get("licence", "")[:120],
                    "date": raw.get("date", "")[:20],
                    "estimated": estimated,
                }
            )
        problems.extend(Problem(reason, filename, number, column) for column, reason in bad)
    if problems:
        raise ImportFailure(problems)
    if not rows:
        raise ImportFailure([Problem("aucune ligne de facteurs", filename)])
    return rows

"""Reading inventories people have: CSV, XLSX, ODS, GLPI exports, Sobrio's template.

Plain Python, no Django: `read_table` turns bytes into a header and rows (with their
line numbers), `guess_columns` maps headers to fields, `validate` turns rows into
clean dicts and lists every problem as (line, column, reason). Nothing here writes.
"""

import csv
import datetime
import functools
import io
import re
import unicodedata
from dataclasses import dataclass

from sobrio.inventory.enums import AssetStatus, Category
from sobrio.referentials.importers import ImportFailure, Problem, decode_text

MAX_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 200

# field -> header spellings (accents, case and punctuation are ignored), FR and EN,
# Sobrio's template first, then GLPI's usual columns.
FIELDS = {
    "inventory_number": [
        "numero d'inventaire",
        "inventory number",
        "otherserial",
        "n d'inventaire",
        "numero inventaire",
        "inventaire",
    ],
    "name": ["nom", "name"],
    "category": ["categorie", "category", "type", "type de materiel", "itemtype"],
    "manufacturer": ["fabricant", "manufacturer", "marque"],
    "model": ["modele", "model"],
    "serial_number": ["numero de serie", "serial number", "serial", "n de serie"],
    "unit": ["unite", "unit", "service", "groupe", "group", "entite", "entity"],
    "site": ["site", "lieu", "location", "localisation"],
    "purchase_date": ["date d'achat", "date of purchase", "purchase date", "achat"],
    "commissioning_date": [
        "mise en service",
        "date de mise en service",
        "startup date",
        "commissioning date",
    ],
    "status": ["statut", "status", "etat", "state"],
    "retirement_date": [
        "date de reforme",
        "retirement date",
        "decommission date",
        "date de mise au rebut",
    ],
    "lifetime_years": ["duree de vie", "lifetime", "duree de vie (ans)"],
    "hours_per_day": ["heures par jour", "hours per day", "heures d'usage par jour"],
    "days_per_year": ["jours par an", "days per year", "jours d'usage par an"],
    "power_w": ["puissance", "power", "puissance (w)", "power (w)"],
    "quantity": ["quantite", "quantity", "nombre"],
    "server_room": ["salle serveur", "server room", "salle"],
    "cpu_units": ["processeurs", "cpu", "cpu units"],
    "cpu_core_units": ["coeurs par processeur", "cores per cpu", "coeurs"],
    "ram_gb": ["memoire (go)", "ram (gb)", "memoire", "ram"],
    "ssd_units": ["disques ssd", "ssd"],
    "hdd_units": ["disques durs", "hdd"],
    "refurbished": ["reconditionne", "refurbished"],
    "comment": ["commentaire", "comment", "commentaires", "comments"],
}
REQUIRED = ("inventory_number", "category")

# Value spellings -> category, including GLPI's French and English types.
CATEGORY_WORDS = {
    Category.LAPTOP: ["portable", "ordinateur portable", "laptop", "notebook", "pc portable"],
    Category.DESKTOP: [
        "unite centrale",
        "ordinateur fixe",
        "desktop",
        "pc fixe",
        "tour",
        "ordinateur",
        "computer",
        "poste de travail",
    ],
    Category.WORKSTATION: ["station de travail", "workstation"],
    Category.THIN_CLIENT: ["client leger", "thin client", "client zero"],
    Category.MONITOR: ["ecran", "moniteur", "monitor", "screen"],
    Category.TABLET: ["tablette", "tablet"],
    Category.SMARTPHONE: ["smartphone", "telephone mobile", "mobile", "telephone portable"],
    Category.DESK_PHONE: ["telephone", "phone", "telephone ip", "ip phone", "telephone fixe"],
    Category.PRINTER: ["imprimante", "printer", "multifonction", "copieur", "mfp"],
    Category.PROJECTOR: ["videoprojecteur", "projecteur", "projector", "video projector"],
    Category.VIDEOCONFERENCE: ["visioconference", "videoconference", "visio"],
    Category.NETWORK_SWITCH: ["commutateur", "switch", "network switch"],
    Category.WIFI_ACCESS_POINT: ["borne wifi", "point d'acces", "access point", "wifi", "borne"],
    Category.ROUTER: ["routeur", "router"],
    Category.SERVER: ["serveur", "server"],
    Category.STORAGE: ["baie de stockage", "stockage", "storage", "nas", "san"],
}
STATUS_WORDS = {
    AssetStatus.IN_SERVICE: [
        "en service",
        "in service",
        "en production",
        "production",
        "in use",
        "actif",
        "active",
        "en usage",
        "utilise",
    ],
    AssetStatus.IN_STOCK: ["en stock", "in stock", "stock", "disponible", "available"],
    AssetStatus.IN_REPAIR: ["en reparation", "in repair", "repair", "en panne", "sav"],
    AssetStatus.RETIRED: [
        "reforme",
        "retired",
        "rebut",
        "hors service",
        "au rebut",
        "decommissioned",
        "recycle",
    ],
}


@functools.lru_cache(maxsize=8192)  # the same few types, statuses and units on every line
def norm(text):
    """Lowercase, no accents, single spaces: how headers and values are compared."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"[\s_\-]+", " ", text.lower().replace("’", "'")).strip()
    return re.sub(r"[.°º:]", "", text)


HEADER_INDEX = {norm(s): field for field, spellings in FIELDS.items() for s in spellings}
CATEGORY_INDEX = {norm(w): str(c) for c, words in CATEGORY_WORDS.items() for w in words}
CATEGORY_INDEX.update({c: c for c in Category.values})
STATUS_INDEX = {norm(w): str(s) for s, words in STATUS_WORDS.items() for w in words}
STATUS_INDEX.update({s: s for s in AssetStatus.values})


@dataclass
class Table:
    header: list
    rows: list  # (line number, [cells])
    filename: str


def _formula(cell):
    return isinstance(cell, str) and cell.startswith("=") and len(cell) > 1


def read_table(data, filename):
    """Header and rows of a CSV, XLSX or ODS file; ImportFailure on anything else."""
    if not data:
        raise ImportFailure([Problem("fichier vide", filename)])
    if len(data) > MAX_BYTES:
        raise ImportFailure(
            [Problem(f"fichier trop gros ({MAX_BYTES // 2**20} Mo au plus)", filename)]
        )
    lower = filename.lower()
    if data[:2] == b"PK" or lower.endswith((".xlsx", ".ods")):
        fmt = "ods" if lower.endswith(".ods") or b"opendocument" in data[:200] else "xlsx"
        return _read_book(data, filename, fmt)
    return _read_csv(data, filename)


def _read_csv(data, filename):
    text = decode_text(data, filename)
    if "\x00" in text:
        raise ImportFailure([Problem("fichier binaire : CSV, XLSX ou ODS attendu", filename)])
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] + 1 > MAX_COLUMNS:
        raise ImportFailure([Problem(f"trop de colonnes ({MAX_COLUMNS} au plus)", filename, 1)])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, rows = None, []
    try:
        for cells in reader:
            if header is None:
                header = cells
                continue
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise ImportFailure(
            [Problem(f"CSV illisible ({error})", filename, reader.line_num)]
        ) from None
    return _checked(Table(header or [], rows, filename))


def _read_book(data, filename, fmt):
    import tablib

    try:
        sheet = tablib.Databook().load(data, format=fmt).sheets()[0]
    except Exception as error:  # noqa: BLE001 - any parser failure is a bad file for the user
        raise ImportFailure(
            [Problem(f"classeur {fmt.upper()} illisible ({type(error).__name__})", filename)]
        ) from None
    header = ["" if h is None else str(h) for h in (sheet.headers or [])]
    if len(header) > MAX_COLUMNS:
        raise ImportFailure([Problem(f"trop de colonnes ({MAX_COLUMNS} au plus)", filename, 1)])
    rows = []
    for n, cells in enumerate(sheet, start=2):
        cells = ["" if c is None else c for c in cells]
        if any(str(c).strip() for c in cells):
            rows.append((n, cells))
    return _checked(Table(header, rows, filename))


def _checked(table):
    problems = []
    if len(table.header) < 2:
        problems.append(
            Problem(
                "une seule colonne : vérifiez le séparateur (; , ou tabulation) ou le format",
                table.filename,
                1,
            )
        )
    for line, cells in table.rows[:100000]:
        for i, cell in enumerate(cells):
            if _formula(cell):
                problems.append(
                    Problem(
                        "formule refusée : enregistrez les valeurs",
                        table.filename,
                        line,
                        column_name(table.header, i),
                    )
                )
                break
        if len(problems) > 50:
            break
    if not table.rows and not problems:
        problems.append(Problem("aucune ligne de données sous l'en-tête", table.filename))
    if problems:
        raise ImportFailure(problems)
    return table


def column_name(header, index):
    label = header[index] if index < len(header) and str(header[index]).strip() else ""
    return label or f"n° {index + 1}"


def guess_columns(header, remembered=None):
    """header index -> field, from the remembered mapping first, then the known spellings."""
    remembered = remembered or {}
    out, taken = {}, set()
    for i, label in enumerate(header):
        key = norm(label)
        field = remembered.get(key) or HEADER_INDEX.get(key)
        if field and field not in taken:
            out[i] = field
            taken.add(field)
    return out


# --- values ---------------------------------------------------------------------------

DATE_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
)


DAY_FIRST = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})")
ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    # The two usual shapes without strptime, which costs more than the rest of a row.
    found = DAY_FIRST.fullmatch(text) or ISO_DATE.fullmatch(text)
    if found:
        day, month, year = (int(found[k]) for k in ("day", "month", "year"))
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValueError(
                "date impossible : ce jour n’existe pas (jj/mm/aaaa ou aaaa-mm-jj attendu)"
            ) from None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("date illisible (jj/mm/aaaa ou aaaa-mm-jj attendu)")


def parse_decimal(value):
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ValueError("nombre illisible") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("nombre illisible")
    return number


def parse_int(value):
    number = parse_decimal(value)
    if number != int(number):
        raise ValueError("nombre entier attendu")
    return int(number)


def parse_bool(value):
    text = norm(value)
    if text in ("oui", "yes", "vrai", "true", "1", "x"):
        return True
    if text in ("non", "no", "faux", "false", "0", ""):
        return False
    raise ValueError("oui ou non attendu")


NUMBERS = {
    "lifetime_years": (parse_decimal, 0.5, 30),
    "hours_per_day": (parse_decimal, 0, 24),
    "days_per_year": (parse_int, 0, 366),
    "power_w": (parse_decimal, 0, 100000),
    "quantity": (parse_int, 1, 10**6),
    "cpu_units": (parse_int, 1, 64),
    "cpu_core_units": (parse_int, 1, 512),
    "ram_gb": (parse_int, 1, 10**6),
    "ssd_units": (parse_int, 0, 1000),
    "hdd_units": (parse_int, 0, 1000),
}
TEXT_LIMITS = {
    "inventory_number": 80,
    "name": 200,
    "manufacturer": 120,
    "model": 200,
    "serial_number": 120,
    "site": 120,
    "unit": 200,
    "server_room": 120,
}


def validate(table, columns, *, value_maps=None, categories=None, units=None, rooms=None):
    """Clean rows and problems. Each clean row is (line, {field: value}).

    value_maps: field -> {normalised source value: target}, the user's own choices, tried
    before the built-in spellings. categories: allowed codes (canonical + institution's).
    units / rooms: normalised name -> pk.
    """
    value_maps = value_maps or {}
    categories = set(categories or Category.values)
    units = units or {}
    rooms = rooms or {}
    problems, clean = [], []
    mapped = set(columns.values())
    for field in REQUIRED:
        if field not in mapped:
            problems.append(
                Problem(f"colonne obligatoire absente : {FIELD_LABELS[field]}", table.filename, 1)
            )
    if problems:
        return [], problems
    seen = {}
    field_index = {f: i for i, f in columns.items()}
    for line, cells in table.rows:
        row, bad = {}, []
        for index, field in columns.items():
            raw = cells[index] if index < len(cells) else ""
            text = str(raw).strip() if raw is not None else ""
            if text == "":
                continue
            try:
                row[field] = _value(field, raw, text, value_maps, categories, units, rooms)
            except ValueError as error:
                bad.append(
                    Problem(str(error), table.filename, line, column_name(table.header, index))
                )
        bad_columns = {p.column for p in bad}
        for field in REQUIRED:
            column = column_name(table.header, field_index[field])
            if field not in row and column not in bad_columns:
                bad.append(Problem("valeur obligatoire manquante", table.filename, line, column))
        number = row.get("inventory_number")
        if number is not None:
            if number in seen:
                bad.append(
                    Problem(
                        f"numéro d'inventaire en double (déjà ligne {seen[number]})",
                        table.filename,
                        line,
                        column_name(table.header, field_index["inventory_number"]),
                    )
                )
            else:
                seen[number] = line
        if bad:
            problems.extend(bad)
        else:
            clean.append((line, row))
    return clean, problems


def _value(field, raw, text, value_maps, categories, units, rooms):
    own = value_maps.get(field, {})
    if field == "category":
        code = (
            own.get(norm(text))
            or CATEGORY_INDEX.get(norm(text))
            or (norm(text) if norm(text) in categories else None)
        )
        if code is None or code not in categories:
            raise ValueError(f"catégorie inconnue « {text[:60]} » : associez-la à une catégorie")
        return code
    if field == "status":
        code = own.get(norm(text)) or STATUS_INDEX.get(norm(text))
        if code is None:
            raise ValueError(f"statut inconnu « {text[:60]} »")
        return code
    if field in ("purchase_date", "commissioning_date", "retirement_date"):
        return parse_date(raw)
    if field in NUMBERS:
        parse, low, high = NUMBERS[field]
        number = parse(raw)
        if not low <= number <= high:
            raise ValueError(f"valeur hors limites ({low} à {high})")
        return number
    if field == "refurbished":
        return parse_bool(text)
    if field == "unit":
        pk = units.get(norm(text))
        if pk is None:
            raise ValueError(f"unité inconnue « {text[:60]} » : créez-la ou corrigez le nom")
        return pk
    if field == "server_room":
        pk = rooms.get(norm(text))
        if pk is None:
            raise ValueError(f"salle serveur inconnue « {text[:60]} »")
        return pk
    limit = TEXT_LIMITS.get(field)
    if limit and len(text) > limit:
        raise ValueError(f"texte trop long ({limit} caractères au plus)")
    return text


FIELD_LABELS = {
    "inventory_number": "numéro d'inventaire",
    "name": "nom",
    "category": "catégorie",
    "manufacturer": "fabricant",
    "model": "modèle",
    "serial_number": "numéro de série",
    "unit": "unité",
    "site": "site",
    "purchase_date": "date d'achat",
    "commissioning_date": "mise en service",
    "status": "statut",
    "retirement_date": "date de réforme",
    "lifetime_years": "durée de vie (ans)",
    "hours_per_day": "heures par jour",
    "days_per_year": "jours par an",
    "power_w": "puissance (W)",
    "quantity": "quantité",
    "server_room": "salle serveur",
    "cpu_units": "processeurs",
    "cpu_core_units": "cœurs par processeur",
    "ram_gb": "mémoire (Go)",
    "ssd_units": "disques SSD",
    "hdd_units": "disques durs",
    "refurbished": "reconditionné",
    "comment": "commentaire",
}
TEMPLATE_HEADER = [FIELD_LABELS[f] for f in FIELDS]


def distinct_values(table, columns, field, limit=60):
    """The distinct values of a mapped column, for the value-mapping step."""
    index = next((i for i, f in columns.items() if f == field), None)
    if index is None:
        return []
    seen = {}
    for _line, cells in table.rows:
        text = str(cells[index]).strip() if index < len(cells) and cells[index] is not None else ""
        if text and norm(text) not in seen:
            seen[norm(text)] = text
            if len(seen) >= limit:
                break
    return list(seen.values())


def rejects_csv(table, problems):
    """The rejected rows as CSV, with a reason column, for the user to fix and re-import."""
    reasons = {}
    for p in problems:
        if p.line is not None:
            reasons.setdefault(p.line, []).append(
                f"{p.column} : {p.reason}" if p.column else p.reason
            )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([*table.header, "motif du rejet"])
    for line, cells in table.rows:
        if line in reasons:
            writer.writerow([*cells, " ; ".join(reasons[line])])
    return out.getvalue()

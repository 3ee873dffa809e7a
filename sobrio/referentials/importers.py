"""Readers for the referential files people have. Plain Python, no Django.

`read(path_or_bytes, filename)` recognises the shape by itself and returns a
`ParsedReferential`, or raises `ImportFailure` listing every problem with its place
(file, line, column) and reason. Nothing here writes anywhere.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sobrio.imports.limits import MB, Limits
from sobrio.imports.problems import ImportFailure, Problem
from sobrio.imports.reading import (
    Formula,
    decode_text,
    load_json,
    load_yaml,
    open_zip,
    read_member,
    read_table,
    sheet_pairs,
)
from sobrio.referentials import scales

MAX_BYTES = 20 * 1024 * 1024  # a referential is a text: far below the general import limit
LIMITS = Limits(max_bytes=MAX_BYTES, max_unpacked=5 * MAX_BYTES)
# What a referential's text may weigh, every page of it being rendered from it: the largest
# official item (RGESN 2024, guide 2023) has about 5,000 characters, the whole RGESN 175,000.
ITEM_MAX_CHARS = 50_000
REFERENTIAL_MAX_CHARS = 2_000_000
MAX_ITEMS = 2_000
MARKDOWN_MAX_BYTES = 4 * REFERENTIAL_MAX_CHARS  # a guide's markdown files, unpacked

EXPECTED = (
    "un dossier (ou zip) du guide de bonnes pratiques en markdown, l'export JSON du guide "
    "(thematiques[].bonnesPratiques[]), le JSON du RGESN 2024 (tableau de critères avec "
    "numero, thematique, critere) ou le modèle Sobrio (CSV, XLSX, ODS ou YAML)"
)


@dataclass
class ParsedFamily:
    code: str
    name: str
    description: str = ""


@dataclass
class ParsedItem:
    code: str
    family: str  # family code
    title: str
    body: str = ""
    priority: str = ""
    difficulty: str = ""
    roles: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    weight: float | None = None
    url: str = ""

    @property
    def priority_rank(self):
        return scales.priority_rank(self.priority)

    @property
    def effective_weight(self):
        return self.weight if self.weight is not None else scales.weight_for(self.priority_rank)


@dataclass
class ParsedReferential:
    key: str
    name: str
    version: str
    scale: str
    source_format: str
    publisher: str = ""
    licence: str = ""
    source_url: str = ""
    published_on: str = ""  # ISO date or ""
    families: list = field(default_factory=list)
    items: list = field(default_factory=list)

    def sort(self, families=True):
        if families:  # a template keeps its families in the order its author wrote them
            self.families.sort(key=lambda f: natural_key(f.code))
        self.items.sort(key=lambda i: natural_key(i.code))
        return self


def natural_key(code):
    """'g.10' after 'g.9', '1.10' after '1.9': numbers compare as numbers."""
    parts = re.split(r"(\d+)", str(code).strip().rstrip("."))
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in parts if p != "")


def _text(value):
    return "" if value is None else str(value).strip()


def _clean_indicator(value):
    # The guide's h.7 has unbalanced quotes inside its indicator values.
    return _text(value).strip('"“”').strip()


def _split_list(value):
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [part.strip() for part in re.split(r"[,;\n]", _text(value)) if part.strip()]


# --- shape detection -------------------------------------------------------------------


def read(source, filename=""):
    """Parse a folder path, a file path, or bytes (with their file name)."""
    return check_size(check_urls(_read(source, filename), filename), filename)


def _item_chars(item):
    return sum(len(_text(v)) for v in (item.code, item.title, item.body, item.url)) + sum(
        len(_text(v)) for v in (*item.roles, *item.indicators)
    )


def check_size(parsed, filename):
    """A bounded text: every page of the referential is rendered from it."""
    if len(parsed.items) > MAX_ITEMS:
        raise ImportFailure(
            [Problem(f"{len(parsed.items)} items : {MAX_ITEMS} au plus par référentiel", filename)]
        )
    total = sum(len(_text(f.name)) + len(_text(f.description)) for f in parsed.families)
    problems = []
    for item in parsed.items:
        chars = _item_chars(item)
        total += chars
        if chars > ITEM_MAX_CHARS:
            problems.append(Problem(f"item {item.code} : {chars} caractères, "
                                    f"{ITEM_MAX_CHARS} au plus", filename))  # fmt: skip
    if problems:
        raise ImportFailure(problems[:20])
    if total > REFERENTIAL_MAX_CHARS:
        raise ImportFailure([Problem(f"référentiel de {total} caractères : "
                                     f"{REFERENTIAL_MAX_CHARS} au plus", filename)])  # fmt: skip
    return parsed


def check_urls(parsed, filename):
    """Only http and https links: a shared referential reaches every institution's pages."""
    problems = []
    if parsed.source_url and not _web_url(parsed.source_url):
        problems.append(Problem("adresse de la source refusée (http ou https seulement)",
                                filename, None, "source_url"))  # fmt: skip
    for item in parsed.items:
        if item.url and not _web_url(item.url):
            problems.append(Problem(f"item {item.code} : lien refusé (http ou https seulement)",
                                    filename, None, "url"))  # fmt: skip
    if problems:
        raise ImportFailure(problems)
    return parsed


def _web_url(url):
    return re.match(r"https?://[^\s/]+", str(url).strip(), re.I) is not None


def _read(source, filename=""):
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        if path.is_dir():
            return read_guide_folder(_folder_files(path), filename)
        if not path.is_file():
            raise ImportFailure([Problem("fichier introuvable", file=str(path))])
        if path.stat().st_size > MAX_BYTES:
            raise ImportFailure([Problem("fichier trop volumineux (20 Mo au plus)", filename)])
        data = path.read_bytes()
    else:
        data = bytes(source)
        if len(data) > MAX_BYTES:
            raise ImportFailure([Problem("fichier trop volumineux (20 Mo au plus)", filename)])
    if not data.strip():
        raise ImportFailure([Problem("le fichier est vide", filename)])
    suffix = PurePosixPath(filename.lower()).suffix
    if data[:4] == b"PK\x03\x04":
        return _read_zip(data, filename)
    if suffix == ".json" or data.lstrip()[:1] in (b"[", b"{"):
        return _read_json(data, filename)
    if suffix in (".yml", ".yaml"):
        return read_template_yaml(data, filename)
    if suffix in (".csv", ".txt", ".tsv") or b"\n" in data:
        return read_template_csv(data, filename)
    raise ImportFailure([Problem(f"format non reconnu ; attendu : {EXPECTED}", filename)])


def _folder_files(path):
    files = {}
    for file in sorted(path.rglob("*.md")):
        files[str(file.relative_to(path))] = file.read_bytes()
    return files


def _read_zip(data, filename):
    archive = open_zip(data, filename, LIMITS)
    names = archive.namelist()
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return read_template_table(data, filename, "xlsx")
    if "mimetype" in names and b"spreadsheet" in read_member(archive, "mimetype", filename):
        return read_template_table(data, filename, "ods")
    markdown = [n for n in names if n.lower().endswith(".md")]
    if not markdown:
        raise ImportFailure(
            [Problem(f"archive sans fichier markdown ; attendu : {EXPECTED}", filename)]
        )
    unpacked = sum(archive.getinfo(n).file_size for n in markdown)
    if unpacked > MARKDOWN_MAX_BYTES:
        raise ImportFailure([Problem(f"fichiers markdown de {unpacked / MB:.0f} Mo une fois "
                                     f"décompressés : {MARKDOWN_MAX_BYTES / MB:g} Mo au plus",
                                     filename)])  # fmt: skip
    return read_guide_folder({n: read_member(archive, n, filename) for n in markdown}, filename)


def _read_json(data, filename):
    document = load_json(decode_text(data, filename, LIMITS), filename)
    first = document[0] if isinstance(document, list) and document else None
    if isinstance(first, dict) and {"numero", "critere"} <= set(first):
        return read_rgesn(document, filename)
    if isinstance(document, dict) and isinstance(document.get("thematiques"), list):
        return read_guide_export(document, filename)
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        return _from_template_document(document, filename)
    raise ImportFailure([Problem(f"JSON d'une forme inconnue ; attendu : {EXPECTED}", filename)])


# --- the national guide, markdown folder ------------------------------------------------

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)
GUIDE_KEY = "guide-bonnes-pratiques-nr"
GUIDE_NAME = "Guide de bonnes pratiques numérique responsable"


def _front_matter(name, raw):
    text = decode_text(raw, name, LIMITS).replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise ImportFailure([Problem("en-tête YAML (entre deux lignes ---) absent", name, 1)])
    try:
        meta = load_yaml(match.group(1), name) or {}
    except ImportFailure as failure:
        for p in failure.problems:  # the front matter starts on the file's second line
            p.line = p.line + 1 if p.line is not None else None
        raise
    if not isinstance(meta, dict):
        raise ImportFailure([Problem("l'en-tête YAML n'est pas un dictionnaire", name, 2)])
    return meta, match.group(2).strip()


def read_guide_folder(files, filename=""):
    families, items, problems, dates = {}, [], [], []
    for name, raw in sorted(files.items()):
        try:
            meta, body = _front_matter(name, raw)
        except ImportFailure as failure:
            problems.extend(failure.problems)
            continue
        if meta.get("date"):
            dates.append(str(meta["date"]))
        if "idThematique" in meta:
            code = _text(meta["idThematique"]).rstrip(".")
            families[code] = ParsedFamily(code, _text(meta.get("title")), body)
        elif "idbp" in meta:
            code = _text(meta["idbp"])
            if not re.fullmatch(r"[a-z]+\.\d+", code):
                problems.append(
                    Problem(f"identifiant de pratique inattendu : {code!r}", name, 0, "idbp")
                )
                continue
            if not _text(meta.get("title")):
                problems.append(Problem("titre manquant", name, None, "title"))
                continue
            items.append(
                ParsedItem(
                    code=code,
                    family=code.split(".")[0],
                    title=_text(meta["title"]),
                    body=body,
                    priority=_text(meta.get("priority")),
                    difficulty=_text(meta.get("difficulty")),
                    roles=_split_list(meta.get("who") or []),
                    indicators=[
                        _clean_indicator(v)
                        for v in meta.get("indicators") or []
                        if _clean_indicator(v)
                    ],
                )
            )
    if not items and not problems:
        raise ImportFailure(
            [Problem(f"aucune pratique (idbp) trouvée ; attendu : {EXPECTED}", filename)]
        )
    for item in items:
        if item.family not in families:
            families[item.family] = ParsedFamily(item.family, item.family)
    problems.extend(_duplicates(items, filename))
    if problems:
        raise ImportFailure(problems)
    return ParsedReferential(
        key=GUIDE_KEY,
        name=GUIDE_NAME,
        version=max(dates) if dates else "",
        scale=scales.MATURITY,
        source_format="guide-markdown",
        publisher="MiNumEco (DINUM)",
        licence="Licence Ouverte / Etalab 2.0",
        source_url="https://ecoresponsable.numerique.gouv.fr/publications/bonnes-pratiques/",
        published_on=max(dates) if dates else "",
        families=list(families.values()),
        items=items,
    ).sort()


def _duplicates(items, filename):
    seen, problems = set(), []
    for item in items:
        if item.code in seen:
            problems.append(Problem(f"code {item.code} en double", filename))
        seen.add(item.code)
    return problems


# --- the national guide, JSON export ----------------------------------------------------


def read_guide_export(document, filename=""):
    families, items, problems = [], [], []
    for t_index, theme in enumerate(document["thematiques"]):
        where = f"thematiques[{t_index}]"
        if not isinstance(theme, dict) or not _text(theme.get("id")):
            problems.append(Problem(f"{where} : thématique sans id", filename))
            continue
        code = _text(theme["id"]).rstrip(".")
        families.append(ParsedFamily(code, _text(theme.get("titre")) or code))
        for p_index, practice in enumerate(theme.get("bonnesPratiques") or []):
            here = f"{where}.bonnesPratiques[{p_index}]"
            if not isinstance(practice, dict) or not _text(practice.get("id")):
                problems.append(Problem(f"{here} : pratique sans id", filename))
                continue
            if not _text(practice.get("titre")):
                problems.append(Problem(f"{here} : titre manquant", filename))
                continue
            items.append(
                ParsedItem(
                    code=_text(practice["id"]),
                    family=code,
                    title=_text(practice["titre"]),
                    priority=_text(practice.get("priorite")),
                    difficulty=_text(practice.get("difficulte")),
                    roles=_split_list(practice.get("pilotes") or []),
                    indicators=[
                        _clean_indicator(v)
                        for v in practice.get("indicateurs") or []
                        if _clean_indicator(v)
                    ],
                    url=_text(practice.get("url")),
                )
            )
    problems.extend(_duplicates(items, filename))
    if not items and not problems:
        problems.append(
            Problem("aucune bonne pratique dans thematiques[].bonnesPratiques[]", filename)
        )
    if problems:
        raise ImportFailure(problems)
    author = document.get("author") if isinstance(document.get("author"), dict) else {}
    updated = _text(document.get("updated_at"))[:10]
    return ParsedReferential(
        key=GUIDE_KEY,
        name=GUIDE_NAME,
        version=updated or _text(document.get("version")),
        scale=scales.MATURITY,
        source_format="guide-json",
        publisher=_text(author.get("name")),
        licence="Licence Ouverte / Etalab 2.0",
        source_url=_text(document.get("url")),
        published_on=updated,
        families=families,
        items=items,
    ).sort()


# --- RGESN 2024 -------------------------------------------------------------------------


def read_rgesn(document, filename=""):
    themes, items, problems = {}, [], []
    for index, row in enumerate(document):
        where = f"[{index}]"
        if not isinstance(row, dict):
            problems.append(Problem(f"élément {where} : objet attendu", filename))
            continue
        missing = [k for k in ("numero", "thematique", "critere") if not _text(row.get(k))]
        if missing:
            problems.append(
                Problem(f"élément {where} : champ(s) manquant(s) {', '.join(missing)}", filename)
            )
            continue
        code = _text(row["numero"])
        theme = _text(row["thematique"])
        family = code.split(".")[0]
        themes.setdefault(family, ParsedFamily(family, theme))
        sections = []
        for key, heading in (
            ("cible", "Cible"),
            ("objectif", "Objectif"),
            ("miseEnOeuvre", "Mise en œuvre"),
            ("controle", "Contrôle"),
        ):
            if _text(row.get(key)):
                sections.append(f"### {heading}\n\n{_text(row[key])}")
        items.append(
            ParsedItem(
                code=code,
                family=family,
                title=_text(row["critere"]),
                body="\n\n".join(sections),
                priority=_text(row.get("priorite")),
                difficulty=_text(row.get("difficulte")),
                roles=_split_list(row.get("metiers") or ""),
            )
        )
    problems.extend(_duplicates(items, filename))
    if problems:
        raise ImportFailure(problems)
    return ParsedReferential(
        key="rgesn",
        name="RGESN",
        version="2024",
        scale=scales.RGESN,
        source_format="rgesn-json",
        publisher="Arcep, Arcom, DINUM",
        licence="CC BY-SA 4.0",
        source_url="https://ecoresponsable.numerique.gouv.fr/publications/referentiel-general-ecoconception/",
        published_on="2024-05-01",
        families=list(themes.values()),
        items=items,
    ).sort()


# --- Sobrio's own template: YAML, CSV, XLSX, ODS ----------------------------------------

TEMPLATE_COLUMNS = {
    "code": ("code", "numero", "numéro", "id"),
    "family": ("famille", "family", "thematique", "thématique", "theme", "thème"),
    "title": ("titre", "title", "intitule", "intitulé", "critere", "critère", "pratique"),
    "body": ("description", "body", "texte", "corps"),
    "priority": ("priorite", "priorité", "priority"),
    "difficulty": ("difficulte", "difficulté", "difficulty"),
    "roles": ("roles", "rôles", "metiers", "métiers", "pilotes", "who"),
    "indicators": ("indicateurs", "indicators"),
    "weight": ("poids", "weight"),
    "url": ("url", "lien", "source"),
}
REQUIRED_COLUMNS = ("code", "family", "title")


def slugify_key(text):
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "referentiel"


def _header_map(header, filename):
    wanted = {alias: key for key, aliases in TEMPLATE_COLUMNS.items() for alias in aliases}
    mapping = {}
    for index, name in enumerate(header):
        key = wanted.get(_text(name).lower())
        if key and key not in mapping.values():
            mapping[index] = key
    missing = [k for k in REQUIRED_COLUMNS if k not in mapping.values()]
    if missing:
        names = ", ".join(TEMPLATE_COLUMNS[k][0] for k in missing)
        raise ImportFailure(
            [
                Problem(
                    f"colonne(s) obligatoire(s) absente(s) : {names} ; attendu : {EXPECTED}",
                    filename,
                    1,
                )
            ]
        )
    return mapping


def _rows_to_referential(rows, filename, source_format, meta=None):
    """rows: list of (line number, list of cells) with the header first."""
    meta = meta or {}
    # Families declared up front (YAML `families: [{code, name}]`): the family cell is a code.
    declared = {
        _text(f.get("code")): _text(f.get("name")) or _text(f.get("code"))
        for f in meta.get("families") or []
        if isinstance(f, dict) and _text(f.get("code"))
    }
    if not rows:
        raise ImportFailure([Problem("le fichier est vide", filename)])
    header_line, header = rows[0]
    mapping = _header_map(header, filename)
    letters = {v: k for k, v in mapping.items()}
    families, items, problems = {}, [], []
    for line, cells in rows[1:]:
        if not any(_text(c) for c in cells):
            continue
        record = {key: (cells[i] if i < len(cells) else "") for i, key in mapping.items()}
        row_problems = []
        for key in REQUIRED_COLUMNS:
            if not _text(record.get(key)):
                row_problems.append(
                    Problem(
                        "valeur obligatoire manquante",
                        filename,
                        line,
                        _column_name(header, letters[key]),
                    )
                )
        for key, value in record.items():
            if isinstance(value, Formula):
                row_problems.append(
                    Problem(
                        "formule refusée : saisir la valeur",
                        filename,
                        line,
                        _column_name(header, letters[key]),
                    )
                )
        weight = None
        if _text(record.get("weight")):
            try:
                weight = float(_text(record["weight"]).replace(",", "."))
                if weight <= 0:
                    raise ValueError
            except ValueError:
                row_problems.append(
                    Problem(
                        "poids : nombre positif attendu",
                        filename,
                        line,
                        _column_name(header, letters["weight"]),
                    )
                )
        if row_problems:
            problems.extend(row_problems)
            continue
        family_value = _text(record["family"])
        if family_value in declared:
            family = families.setdefault(
                family_value, ParsedFamily(family_value, declared[family_value])
            )
        else:
            family = families.setdefault(
                family_value, ParsedFamily(str(len(families) + 1), family_value)
            )
        items.append(
            ParsedItem(
                code=_text(record["code"]),
                family=family.code,
                title=_text(record["title"]),
                body=_text(record.get("body")),
                priority=_text(record.get("priority")),
                difficulty=_text(record.get("difficulty")),
                roles=_split_list(record.get("roles")),
                indicators=[
                    i
                    for i in (_text(x) for x in re.split(r"\n|;", _text(record.get("indicators"))))
                    if i
                ],
                weight=weight,
                url=_text(record.get("url")),
            )
        )
    problems.extend(_duplicates(items, filename))
    if not items and not problems:
        problems.append(Problem("aucune ligne d'item sous l'en-tête", filename, header_line + 1))
    if problems:
        raise ImportFailure(problems)
    name = _text(meta.get("name")) or Path(filename).stem or "Référentiel"
    return ParsedReferential(
        key=slugify_key(name),
        name=name,
        version=_text(meta.get("version")),
        scale=_scale(meta.get("scale"), filename),
        source_format=source_format,
        publisher=_text(meta.get("publisher")),
        licence=_text(meta.get("licence")),
        source_url=_text(meta.get("source_url")),
        published_on=_text(meta.get("published_on")),
        families=list(families.values()),
        items=items,
    ).sort(families=False)


def _column_name(header, index):
    return _text(header[index]) if index < len(header) else str(index + 1)


def _scale(value, filename):
    value = _text(value) or scales.MATURITY
    if value not in scales.SCALES:
        raise ImportFailure(
            [Problem(f"échelle inconnue {value!r} (maturity ou rgesn)", filename, None, "scale")]
        )
    return value


def _table_rows(table):
    rows = [(table.header_line, table.header)]
    for line, cells in table.rows():
        rows.append((line, ["" if c is None else c for c in cells]))
    return rows


def read_template_csv(data, filename=""):
    return _rows_to_referential(_table_rows(read_table(data, filename, LIMITS)), filename,
                                "template-csv")  # fmt: skip


def read_template_table(data, filename, fmt):
    table = read_table(data, filename, LIMITS)
    rows = _table_rows(table)
    meta = sheet_pairs(data, filename, LIMITS)  # an optional sheet "referentiel": name, version
    return _rows_to_referential(rows, filename, f"template-{fmt}", _meta_aliases(meta))


def _meta_aliases(meta):
    aliases = {
        "nom": "name",
        "name": "name",
        "version": "version",
        "editeur": "publisher",
        "éditeur": "publisher",
        "publisher": "publisher",
        "licence": "licence",
        "source": "source_url",
        "source_url": "source_url",
        "date": "published_on",
        "published_on": "published_on",
        "echelle": "scale",
        "échelle": "scale",
        "scale": "scale",
    }
    return {aliases[k]: v for k, v in meta.items() if k in aliases}


def read_template_yaml(data, filename=""):
    document = load_yaml(decode_text(data, filename, LIMITS), filename)
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ImportFailure(
            [Problem(f"YAML sans liste « items » ; attendu : {EXPECTED}", filename)]
        )
    return _from_template_document(document, filename)


def _from_template_document(document, filename):
    header = [
        "code",
        "famille",
        "titre",
        "description",
        "priorite",
        "difficulte",
        "roles",
        "indicateurs",
        "poids",
        "url",
    ]
    keys = [
        "code",
        "family",
        "title",
        "body",
        "priority",
        "difficulty",
        "roles",
        "indicators",
        "weight",
        "url",
    ]
    rows = [(0, header)]
    for index, entry in enumerate(document["items"], start=1):
        if not isinstance(entry, dict):
            raise ImportFailure([Problem(f"items[{index - 1}] : dictionnaire attendu", filename)])
        cells = []
        for key in keys:
            value = entry.get(key, "")
            if isinstance(value, list):
                value = "\n".join(_text(v) for v in value)
            cells.append(value)
        rows.append((index, cells))
    return _rows_to_referential(rows, filename, "template-yaml", document)

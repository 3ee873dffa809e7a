"""What an inventory file may hold: assets (GLPI exports included), cloud instances and
data stores, as fields of the shared import toolkit (sobrio.imports).

Plain Python, no Django models: the specs say how each header is spelled and how each
value is read; `UnitIndex` matches unit names, codes and GLPI entity paths
(« Université X > DSI > Pôle infrastructures ») to the institution's units.
"""

import datetime
import re

from sobrio.imports.spec import CREATE, Field, ResolvedCheck, Spec
from sobrio.imports.values import norm, parse_bool, parse_date, parse_decimal, parse_int
from sobrio.inventory import catalogue
from sobrio.inventory.enums import AssetStatus, Category, Media

# --- values that map without help -----------------------------------------------------------

# Value spellings -> category: Sobrio's labels, GLPI's French and English item types and
# the computer types institutions usually define in GLPI.
CATEGORY_WORDS = {
    Category.LAPTOP: ["portable", "ordinateur portable", "laptop", "notebook", "pc portable",
                      "ultraportable", "ordinateur portable professionnel"],
    Category.DESKTOP: ["unite centrale", "ordinateur fixe", "desktop", "pc fixe", "tour",
                       "ordinateur", "computer", "poste de travail", "ordinateur de bureau",
                       "tout en un", "all in one", "mini pc", "pc de bureau"],
    Category.WORKSTATION: ["station de travail", "workstation"],
    Category.THIN_CLIENT: ["client leger", "thin client", "client zero"],
    Category.MONITOR: ["ecran", "moniteur", "monitor", "screen", "ecran plat"],
    Category.TABLET: ["tablette", "tablet"],
    Category.SMARTPHONE: ["smartphone", "telephone mobile", "mobile", "telephone portable",
                          "mobile phone"],
    Category.DESK_PHONE: ["telephone", "phone", "telephone ip", "ip phone", "telephone fixe",
                          "poste telephonique"],
    Category.PRINTER: ["imprimante", "printer", "multifonction", "copieur", "mfp",
                       "imprimante multifonction"],
    Category.PROJECTOR: ["videoprojecteur", "projecteur", "projector", "video projector"],
    Category.VIDEOCONFERENCE: ["visioconference", "videoconference", "visio"],
    Category.NETWORK_SWITCH: ["commutateur", "switch", "network switch", "materiel reseau",
                              "equipement reseau", "network equipment", "networkequipment"],
    Category.WIFI_ACCESS_POINT: ["borne wifi", "point d'acces", "access point", "wifi", "borne"],
    Category.ROUTER: ["routeur", "router"],
    Category.SERVER: ["serveur", "server"],
    Category.STORAGE: ["baie de stockage", "stockage", "storage", "nas", "san"],
    Category.PERIPHERAL: ["peripherique", "peripheral", "peripheriques", "accessoire"],
}  # fmt: skip
STATUS_WORDS = {
    AssetStatus.IN_SERVICE: ["en service", "in service", "en production", "production", "in use",
                             "actif", "active", "en usage", "utilise", "en fonctionnement",
                             "affecte"],
    AssetStatus.IN_STOCK: ["en stock", "in stock", "stock", "disponible", "available",
                           "en reserve"],
    AssetStatus.IN_REPAIR: ["en reparation", "in repair", "repair", "en panne", "sav",
                            "en maintenance"],
    AssetStatus.RETIRED: ["reforme", "retired", "rebut", "hors service", "au rebut",
                          "decommissioned", "recycle", "hs", "mis au rebut", "reformé"],
}  # fmt: skip
CATEGORY_INDEX = {norm(w): str(c) for c, words in CATEGORY_WORDS.items() for w in words}
CATEGORY_INDEX.update({c: c for c in Category.values})
CATEGORY_INDEX.update({norm(label): value for value, label in Category.choices})
STATUS_INDEX = {norm(w): str(s) for s, words in STATUS_WORDS.items() for w in words}
STATUS_INDEX.update({s: s for s in AssetStatus.values})
MEDIA_INDEX = {
    "ssd": Media.SSD, "flash": Media.SSD, "nvme": Media.SSD,
    "hdd": Media.HDD, "disque dur": Media.HDD, "disque": Media.HDD, "disk": Media.HDD,
    "hard disk": Media.HDD, "bande": Media.TAPE, "tape": Media.TAPE, "lto": Media.TAPE,
    "bandes": Media.TAPE,
}  # fmt: skip
PROVIDER_INDEX = {
    "aws": "aws", "amazon": "aws", "amazon web services": "aws", "azure": "azure",
    "microsoft azure": "azure", "gcp": "gcp", "google cloud": "gcp", "google": "gcp",
    "ovh": "ovhcloud", "ovhcloud": "ovhcloud", "scaleway": "scaleway",
}  # fmt: skip
GLPI_ROOTS = {"entite racine", "root entity"}


def _bounded(parse, low, high):
    def read(raw):
        number = parse(raw)
        if not low <= number <= high:
            raise ValueError(f"valeur hors limites ({low} à {high})")
        return number

    return read


def _lookup(index, what):
    def read(raw):
        code = index.get(norm(raw))
        if code is None:
            raise ValueError(f"{what} inconnu « {str(raw)[:40]} »")
        return code

    return read


TODAY = datetime.date.today


def _date(raw):
    return parse_date(raw)


# --- assets -------------------------------------------------------------------------------

ASSET_FIELDS = (
    Field("inventory_number", "numéro d'inventaire",
          ("inventory number", "otherserial", "n d'inventaire", "numero inventaire", "inventaire",
           "numero d'inventaire", "asset tag"), required=True, max_length=80),
    Field("name", "nom", ("name",), max_length=200),
    Field("category", "catégorie",
          ("category", "type", "type de materiel", "itemtype", "type d'element", "item type",
           "type de l'element"), required=True, mapped=True, max_length=200),
    Field("manufacturer", "fabricant", ("manufacturer", "marque", "constructeur"), max_length=120),
    Field("model", "modèle", ("model",), max_length=200),
    Field("serial_number", "numéro de série", ("serial number", "serial", "n de serie",
                                              "numero de serie"), max_length=120),
    Field("unit", "unité", ("unit", "service", "groupe", "group", "entite", "entity",
                           "direction", "composante", "groupe technique", "groupe en charge"),
          mapped=True, max_length=400),
    Field("site", "site", ("lieu", "location", "localisation"), max_length=120),
    Field("purchase_date", "date d'achat", ("date of purchase", "purchase date", "achat",
                                           "date achat"), parse=_date),
    Field("commissioning_date", "mise en service", ("date de mise en service", "startup date",
                                                   "commissioning date", "use date",
                                                   "date de mise en production"), parse=_date),
    Field("status", "statut", ("status", "etat", "state"), mapped=True, max_length=120),
    Field("retirement_date", "date de réforme", ("retirement date", "decommission date",
                                                "date de mise au rebut", "date de sortie"),
          parse=_date),
    Field("lifetime_years", "durée de vie (ans)", ("duree de vie", "lifetime"),
          parse=_bounded(parse_decimal, 0.5, 30)),
    Field("hours_per_day", "heures par jour", ("hours per day", "heures d'usage par jour"),
          parse=_bounded(parse_decimal, 0, 24)),
    Field("days_per_year", "jours par an", ("days per year", "jours d'usage par an"),
          parse=_bounded(parse_int, 0, 366)),
    Field("power_w", "puissance (W)", ("puissance", "power", "power (w)"),
          parse=_bounded(parse_decimal, 0, 100000)),
    Field("quantity", "quantité", ("quantity", "nombre", "quantite"),
          parse=_bounded(parse_int, 1, 10**6)),
    Field("server_room", "salle serveur", ("server room", "salle"), mapped=True, max_length=120),
    Field("cpu_units", "processeurs", ("cpu", "cpu units"), parse=_bounded(parse_int, 1, 64)),
    Field("cpu_core_units", "cœurs par processeur", ("cores per cpu", "coeurs",
                                                    "coeurs par processeur"),
          parse=_bounded(parse_int, 1, 512)),
    Field("ram_gb", "mémoire (Go)", ("ram (gb)", "memoire", "ram", "memoire (go)"),
          parse=_bounded(parse_int, 1, 10**6)),
    Field("ssd_units", "disques SSD", ("ssd",), parse=_bounded(parse_int, 0, 1000)),
    Field("hdd_units", "disques durs", ("hdd",), parse=_bounded(parse_int, 0, 1000)),
    Field("refurbished", "reconditionné", ("refurbished", "reconditionne"), parse=parse_bool),
    Field("comment", "commentaire", ("comment", "commentaires", "comments"), max_length=5000),
)  # fmt: skip
EARLIEST = datetime.date(1980, 1, 1)


def check_asset(row, today=None):
    """Dates that cannot be (refused) or are unlikely (warned), with the field they are in."""
    today = today or TODAY()
    out = []
    purchase, start, retired = (
        row.get("purchase_date"), row.get("commissioning_date"), row.get("retirement_date"),
    )  # fmt: skip
    for name, value in (("purchase_date", purchase), ("commissioning_date", start)):
        if value is None:
            continue
        if value > today:
            out.append((name, f"date dans le futur ({value:%d/%m/%Y})", False))
        elif value < EARLIEST:
            out.append((name, f"date peu vraisemblable (avant {EARLIEST:%Y})", True))
    if retired is not None:
        if purchase and retired < purchase:
            out.append(("retirement_date", "réforme avant l'achat", False))
        elif start and retired < start:
            out.append(("retirement_date", "réforme avant la mise en service", False))
        elif retired > today:
            out.append(("retirement_date", "réforme prévue dans le futur : date retenue", True))
    if purchase and start and start < purchase:
        out.append(("commissioning_date", "mise en service avant l'achat", True))
    return out


def asset_spec(energy_categories=()):
    """The assets importer; energy_categories: those whose factor is a yearly consumption."""
    energy = frozenset(energy_categories)
    return Spec(
        key="assets",
        label="équipements",
        fields=ASSET_FIELDS,
        unique="inventory_number",
        check=check_asset,
        resolved_checks=(
            ResolvedCheck(
                "status", lambda t: t == AssetStatus.RETIRED, "retirement_date", False,
                "réformé sans date de réforme : la date de l'import est retenue, précisez-la "
                "pour que l'empreinte compte ses années de service",
            ),
            ResolvedCheck(
                "category", lambda t: t in energy, "hours_per_day", True,
                "heures par jour ignorées : le jeu de facteurs donne une consommation annuelle "
                "pour cette catégorie",
            ),
        ),
    )  # fmt: skip


ASSETS = asset_spec()

# --- cloud instances and data stores ---------------------------------------------------------


def _provider(raw):
    code = PROVIDER_INDEX.get(norm(raw))
    if code is None:
        raise ValueError(
            f"fournisseur inconnu « {str(raw)[:40]} » (aws, azure, gcp, ovhcloud, scaleway)"
        )
    return code


CLOUD_FIELDS = (
    Field("name", "nom", ("name", "instance", "nom de l'instance"), required=True,
          max_length=200),
    Field("provider", "fournisseur", ("provider", "cloud", "hebergeur"), parse=_provider,
          required=True),
    Field("instance_type", "type d'instance", ("instance type", "type", "flavor", "gabarit"),
          required=True, max_length=80),
    Field("region", "région", ("region", "pays", "country", "localisation", "zone"),
          max_length=40),
    Field("hours_per_year", "heures par an", ("hours per year", "heures", "hours"),
          parse=_bounded(parse_int, 0, 8784), required=True),
    Field("quantity", "quantité", ("quantity", "nombre", "instances"),
          parse=_bounded(parse_int, 1, 10**6)),
    Field("unit", "unité", ("unit", "service", "entite", "groupe"), mapped=True, max_length=400),
    Field("comment", "commentaire", ("comment",), max_length=5000),
)  # fmt: skip


def check_cloud(row):
    problems = catalogue.check_cloud(
        row.get("provider"), row.get("instance_type", ""), row.get("region") or "FRA"
    )
    return [(name, reason, False) for name, reason in problems.items()]


CLOUD = Spec(key="cloud", label="instances cloud", fields=CLOUD_FIELDS, unique="name",
             check=check_cloud)  # fmt: skip

STORE_FIELDS = (
    Field("name", "nom", ("name", "jeu de donnees", "dataset", "projet"), required=True,
          max_length=200),
    Field("volume_tb", "volume (To)", ("volume", "volume (tb)", "to", "tb", "taille (to)"),
          parse=_bounded(parse_decimal, 0, 10**7), required=True),
    Field("replicas", "copies", ("replicas", "copies", "nombre de copies", "exemplaires"),
          parse=_bounded(parse_int, 1, 100)),
    Field("media", "support", ("media", "medium", "type de support", "stockage"),
          parse=_lookup(MEDIA_INDEX, "support"), required=True),
    Field("disk_capacity_tb", "capacité d'un disque (To)",
          ("disk capacity (tb)", "capacite disque", "capacite d'un disque", "drive capacity"),
          parse=_bounded(parse_decimal, 0.1, 1000)),
    Field("server_room", "salle serveur", ("server room", "salle"), mapped=True, max_length=120),
    Field("unit", "unité", ("unit", "service", "laboratoire", "entite"), mapped=True,
          max_length=400),
    Field("comment", "commentaire", ("comment",), max_length=5000),
)  # fmt: skip
STORES = Spec(key="stores", label="stockages de données", fields=STORE_FIELDS, unique="name")


# --- units: names, codes and GLPI entity paths -----------------------------------------------

PATH_SEPARATOR = re.compile(r"\s*>\s*")
NO_UNIT = "-"  # the institution itself


def path_parts(text):
    return [part for part in PATH_SEPARATOR.split(str(text).strip()) if part]


class UnitIndex:
    """The institution's units, found by name, code or path, ignoring case and accents."""

    def __init__(self, units, institution_names=()):
        # units: (pk, name, code, parent_id)
        self.units = {pk: (name, code, parent) for pk, name, code, parent in units}
        self.roots = {norm(n) for n in institution_names if n} | GLPI_ROOTS
        self.by_name = {}
        for pk, (name, code, _parent) in self.units.items():
            self.by_name.setdefault(norm(name), []).append(pk)
            if code:
                self.by_name.setdefault(norm(code), []).append(pk)
        self.by_path = {self.path(pk): pk for pk in self.units}

    def path(self, pk):
        names, seen = [], set()
        while pk is not None and pk not in seen:
            seen.add(pk)
            name, _code, parent = self.units[pk]
            names.append(norm(name))
            pk = parent
        return tuple(reversed(names))

    def parts(self, text):
        """The path's segments, without the institution itself at its root."""
        parts = path_parts(text)
        while parts and norm(parts[0]) in self.roots:
            parts = parts[1:]
        return parts

    def find(self, text):
        """A unit's pk, NO_UNIT for the institution itself, or None."""
        parts = self.parts(text)
        if not parts:
            return NO_UNIT
        keys = tuple(norm(p) for p in parts)
        if keys in self.by_path:
            return self.by_path[keys]
        candidates = list(dict.fromkeys(self.by_name.get(keys[-1], [])))
        if len(candidates) > 1 and len(keys) > 1:
            candidates = [c for c in candidates if self.path(c)[-len(keys) :] == keys]
        if len(candidates) == 1:
            return candidates[0]
        return None

    def plan(self, texts):
        """What creating these paths adds: [(path text, parent pk or None, new names)]."""
        out = []
        for text in texts:
            parts = self.parts(text)
            known = ()
            for depth in range(len(parts), 0, -1):
                key = tuple(norm(p) for p in parts[:depth])
                if key in self.by_path:
                    known = key
                    break
            parent = self.by_path.get(known) if known else None
            out.append((text, parent, parts[len(known) :]))
        return out


__all__ = ["ASSETS", "CLOUD", "CREATE", "STORES", "UnitIndex", "asset_spec"]

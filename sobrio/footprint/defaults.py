"""The default factor set: boaviztapi's data where it has the category, published
figures with their citation where it has not.

Nothing here is a guess of ours. A category with no published figure we could cite
(network switches, routers, videoconference systems, storage arrays) gets no factor:
its rows show as "non disponible" until the institution imports a factor set for it.
"""

from sobrio.footprint import boavizta

DEFAULT_KEY = "sobrio-default"
DEFAULT_REVISION = "2"  # bump when PUBLISHED changes, so a new version is built

ECODIAG = (
    "EcoInfo (CNRS), Ecodiag : référentiel des équipements de l'outil "
    "(https://ecoinfo.cnrs.fr/ecodiag-calcul/, code AGPL sur gitlab.inria.fr/guenneba/ecodiag)"
)
WYSE = (
    "Dell, Product Carbon Footprint des clients légers Wyse (août 2018), lignes « Thin "
    "Client » de Boavizta, environmental-footprint-data, boavizta-data-us.csv (version "
    "004e043 du dépôt) : Wyse 3030 (70 kgCO2e, 59 % fabrication, 19,2 kWh/an), 3040 (63 ; "
    "59 % ; 18,7), 5010 (86 ; 48 % ; 31,7), 5020 (89 ; 45 % ; 35,7), 5060 (100 ; 42 % ; 41), "
    "5070 (115 ; 57 % ; 34,7), 7010 (103 ; 44 % ; 40,4), 7020 (106 ; 43 % ; 43), 7040 (122 ; "
    "37 % ; 53,79) ; les tout-en-un (5040, 5050) et clients zéro (5030, 7030) sont écartés ; "
    "fabrication = total × part fabrication"
)
ADEME_REFURBISHED = (
    "ADEME, « Évaluation de l'impact environnemental d'un ensemble de produits "
    "reconditionnés » (septembre 2022, avec LCIE Bureau Veritas et NégaOctet) : part de "
    "l'impact annuel d'un neuf évitée par l'achat reconditionné, %(range)s ; la source donne "
    "une plage, la valeur centrale est son milieu (choix de Sobrio)"
)

# category -> list of (criterion, phase, value, min, max, unit, source, date)
PUBLISHED = {
    "workstation": [
        (
            "gwp",
            "embodied",
            600,
            360,
            840,
            "kgCO2e",
            ECODIAG + " : station de travail moyenne (Mac Pro et Dell Precision), "
            "±1 écart-type relatif (40 %)",
            "2021",
        ),
        ("energy", "parameter", 770, 770, 770, "kWh/an", ECODIAG, "2021"),
        ("lifetime", "parameter", 5, 5, 5, "an", ECODIAG, "2021"),
    ],
    "printer": [
        (
            "gwp",
            "embodied",
            130,
            90,
            200,
            "kgCO2e",
            ECODIAG + " : imprimante laser à poser (< 40 kg), moyenne Lexmark hors toners ; "
            "plage : imprimantes de la Base Carbone ADEME citée par Ecodiag",
            "2021",
        ),
        ("energy", "parameter", 71, 71, 71, "kWh/an", ECODIAG, "2021"),
        ("lifetime", "parameter", 5, 5, 5, "an", ECODIAG, "2021"),
    ],
    "projector": [
        (
            "gwp",
            "embodied",
            94,
            23.5,
            164.5,
            "kgCO2e",
            ECODIAG + " : vidéoprojecteur transportable, valeur de la Base Carbone ADEME "
            "(incertitude 75 %)",
            "2021",
        ),
        (
            "energy",
            "parameter",
            104,
            104,
            104,
            "kWh/an",
            ECODIAG + " : 0,26 kW × 2 h × 200 jours",
            "2021",
        ),
        (
            "lifetime",
            "parameter",
            7,
            7,
            7,
            "an",
            ECODIAG + " (durée marquée comme estimée par la source)",
            "2021",
            True,
        ),
    ],
    "desk_phone": [
        ("gwp", "embodied", 17, 17, 17, "kgCO2e", ECODIAG + " : téléphone IP", "2021"),
        ("energy", "parameter", 40, 40, 40, "kWh/an", ECODIAG, "2021"),
        (
            "lifetime",
            "parameter",
            10,
            10,
            10,
            "an",
            ECODIAG + " (durée marquée comme estimée par la source)",
            "2021",
            True,
        ),
    ],
    "wifi_access_point": [
        ("gwp", "embodied", 10, 10, 10, "kgCO2e", ECODIAG + " : borne wifi", "2021"),
        ("energy", "parameter", 70, 70, 70, "kWh/an", ECODIAG, "2021"),
        ("lifetime", "parameter", 6, 6, 6, "an", ECODIAG, "2021"),
    ],
    "thin_client": [
        (
            "gwp",
            "embodied",
            42.0,
            37.2,
            65.6,
            "kgCO2e",
            WYSE + " : médiane des neuf modèles autonomes, min Wyse 3040, max Wyse 5070",
            "2018",
        ),
        (
            "energy",
            "parameter",
            35.7,
            18.7,
            53.79,
            "kWh/an",
            WYSE + " : consommation annuelle typique (TEC), médiane et extrêmes",
            "2018",
        ),
        (
            "lifetime",
            "parameter",
            6,
            6,
            6,
            "an",
            "boaviztapi, durée de vie de l'archétype desktop-pro, appliquée faute de durée "
            "publiée pour les clients légers (estimation de Sobrio)",
            "2025",
            True,
        ),
    ],
}
# Share of a new device's yearly impact that buying it refurbished avoids (ADEME 2022):
# laptops and desktops 43-97 %, smartphones 64-87 %, tablets 46-80 %.
for _category, (_low, _high) in {
    "laptop": (0.43, 0.97),
    "desktop": (0.43, 0.97),
    "smartphone": (0.64, 0.87),
    "tablet": (0.46, 0.80),
}.items():
    PUBLISHED.setdefault(_category, []).append(
        (
            "refurbished_avoided",
            "parameter",
            round((_low + _high) / 2, 3),
            _low,
            _high,
            "part",
            ADEME_REFURBISHED % {"range": f"{_low:.0%} à {_high:.0%}"},
            "2022",
            True,
        )
    )

UNITS = {"gwp": "kgCO2e", "adpe": "kgSbeq", "pe": "MJ"}


def default_rows():
    """Every row of the default set, as dicts ready for Factor(**row)."""
    version = boavizta.version()
    bz_source = f"boaviztapi {version} (Boavizta), données embarquées : "
    rows = []

    def add(category, criterion, phase, bounds, unit, source, date, licence, estimated=False):
        value, low, high = bounds
        rows.append(
            {
                "category": category,
                "criterion": criterion,
                "phase": phase,
                "value": value,
                "min": low,
                "max": high,
                "unit": unit,
                "source": source,
                "licence": licence,
                "date": date,
                "estimated": estimated,
            }
        )

    profiles = {c: boavizta.terminal_profile(c) for c in boavizta.TERMINALS}
    profiles["server"] = boavizta.server_profile()
    origins = boavizta.sources()
    for category, profile in profiles.items():
        origin = bz_source + f"archétype {profile['archetype']}"
        for criterion, bounds in profile["embodied"].items():
            if bounds is not None:
                cited = origins.get(category, {}).get(criterion)
                add(
                    category,
                    criterion,
                    "embodied",
                    bounds,
                    UNITS[criterion],
                    origin + (f", {cited}" if cited else ""),
                    version,
                    "AGPL-3.0",
                )
        lifetime = profile["lifetime_years"]
        add(category, "lifetime", "parameter", (lifetime,) * 3, "an", origin, version, "AGPL-3.0")
        add(category, "power", "parameter", profile["power_w"], "W", origin, version, "AGPL-3.0")
        ratio = profile["use_ratio"]
        add(category, "use_ratio", "parameter", (ratio,) * 3, "", origin, version, "AGPL-3.0")
    for category, entries in PUBLISHED.items():
        for criterion, phase, value, low, high, unit, source, date, *guess in entries:
            add(category, criterion, phase, (value, low, high), unit, source, date, "",
                bool(guess and guess[0]))  # fmt: skip
    return rows


def default_set_key():
    return f"{DEFAULT_KEY}:{boavizta.version()}:{DEFAULT_REVISION}"

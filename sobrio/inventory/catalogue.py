"""What boaviztapi knows of clouds and countries, read from its data files.

The files are read directly (never by importing boaviztapi, which costs seconds), once
per process: instance types per provider, provider regions and the country codes of
its electricity mixes. Entry forms and imports check cloud rows against them, so an
unknown type or region is refused with its reason instead of silently defaulting.
"""

import csv
import functools
import importlib.util
from pathlib import Path

PROVIDERS = ("aws", "azure", "gcp", "ovhcloud", "scaleway")


@functools.cache
def data_dir():
    spec = importlib.util.find_spec("boaviztapi")
    return Path(spec.origin).parent / "data"


@functools.cache
def factors():
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # 5x faster than the pure one
    with open(data_dir() / "factors.yml", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader


@functools.cache
def countries():
    """ISO 3166-1 alpha-3 codes (and WOR, EEE) that have an electricity mix."""
    return frozenset(k for k in factors()["electricity"] if len(k) == 3)


@functools.cache
def instance_types(provider):
    path = data_dir() / "archetypes" / "cloud" / f"{provider}.csv"
    if provider not in PROVIDERS or not path.exists():
        return frozenset()
    with open(path, encoding="utf-8") as handle:
        return frozenset(row["id"].strip() for row in csv.DictReader(handle) if row.get("id"))


@functools.cache
def regions():
    """(provider, region name in lower case) -> country code."""
    out = {}
    with open(data_dir() / "archetypes" / "cloud" / "regions.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[(row["provider"].strip(), row["region"].strip().lower())] = row[
                "usage_location"
            ].strip()
    return out


def location(provider, region):
    """The country code of a region typed as a country code or a provider's region name."""
    text = (region or "").strip()
    if text.upper() in countries():
        return text.upper()
    return regions().get(((provider or "").lower(), text.lower()))


def check_cloud(provider, instance_type, region):
    """{field: reason} for what boaviztapi cannot compute."""
    problems = {}
    provider = (provider or "").lower()
    if provider not in PROVIDERS:
        problems["provider"] = (
            f"fournisseur inconnu de boaviztapi « {provider} » (aws, azure, gcp, ovhcloud, "
            "scaleway) : son empreinte serait non disponible"
        )
        return problems
    if instance_type not in instance_types(provider):
        problems["instance_type"] = (
            f"type d'instance inconnu de boaviztapi pour {provider} « {instance_type[:60]} »"
        )
    if location(provider, region) is None:
        problems["region"] = (
            f"région inconnue « {(region or '')[:40]} » : un code pays à trois lettres (FRA, DEU…) "
            f"ou une région {provider} (eu-west-3…)"
        )
    return problems

"""What Sobrio takes from boaviztapi, called in-process (never over HTTP).

boaviztapi costs 2-3 s and ~140 MB to import, so it is imported inside the functions
that need it, which run when a factor set or a configuration is built, never when a
page is shown: results are stored (footprint.models.Factor, ConfigProfile).

Every value returned here is unrounded: boaviztapi's JSON rounds by range, its model
attributes do not (shared/notes/boaviztapi.md).
"""

import importlib.metadata
import math

from sobrio.inventory import catalogue

HOURS_PER_YEAR = 8760
CRITERIA = ("gwp", "adpe", "pe")
# Terminal archetypes used for the institution's devices (professional variants).
TERMINALS = {
    "laptop": ("laptop-pro", "Laptop"),
    "desktop": ("desktop-pro", "Desktop"),
    "monitor": ("monitor-default", "Monitor"),
    "smartphone": ("smartphone-default", "Smartphone"),
    "tablet": ("tablet-default", "Tablet"),
}
SERVER_ARCHETYPE = "platform_compute_medium"
CLOUD_PROVIDERS = ("aws", "azure", "gcp", "ovhcloud", "scaleway")


def version():
    return importlib.metadata.version("boaviztapi")


def _factors_yml():
    return catalogue.factors()  # read once per process, with the C loader


def electricity(country):
    """The grid's factors for an ISO alpha-3 code: {criterion: (value, source, year)}.

    Returns None for a country boaviztapi does not know (it would silently use
    Europe's mix: we say so instead).
    """
    zone = _factors_yml()["electricity"].get((country or "").upper())
    if zone is None:
        return None
    out = {}
    for criterion in CRITERIA:
        entry = zone.get(criterion)
        if entry is not None:
            out[criterion] = (
                float(entry["value"]),
                str(entry.get("source", "")),
                str(entry.get("reference_year", "")),
            )
    return out


def countries():
    return sorted(k for k in _factors_yml()["electricity"] if len(k) == 3)


def _bounds(attribute):
    value = attribute.value
    if value is None:
        return None
    low = attribute.min if attribute.min is not None else value
    high = attribute.max if attribute.max is not None else value
    return (float(value), float(low), float(high))


def _impact(model, criterion, phase):
    impact = model.impacts.get(criterion, {}).get(phase)
    if impact is None or getattr(impact, "value", None) is None:
        return None
    return (float(impact.value), float(impact.min), float(impact.max))


def terminal_profile(category):
    """Embodied impacts over the whole life, lifetime, power and use ratio of an archetype."""
    from boaviztapi.compute.impacts_computation import compute_impacts
    from boaviztapi.data.archetype import get_user_terminal_archetype
    from boaviztapi.dto.device import user_terminal

    archetype_id, dto_name = TERMINALS[category]
    archetype = get_user_terminal_archetype(archetype_id)
    model = user_terminal.mapper_user_terminal(
        getattr(user_terminal, dto_name)(), archetype=archetype
    )
    lifetime_hours = float(model.usage.hours_life_time.value)
    compute_impacts(model=model, selected_criteria=list(CRITERIA), duration=lifetime_hours)
    return {
        "archetype": archetype_id,
        "embodied": {c: _impact(model, c, "embedded") for c in CRITERIA},
        "lifetime_years": lifetime_hours / HOURS_PER_YEAR,
        "power_w": _bounds(model.usage.avg_power),
        "use_ratio": float(model.usage.use_time_ratio.value),
    }


def terminal_year(category, *, lifetime_years, use_ratio, elec_gwp, country="FRA"):
    """boaviztapi's own result for one device over one year (8,760 hours, leap or not):
    the reference of the 0.1% agreement tests."""
    from boaviztapi.compute.impacts_computation import compute_impacts
    from boaviztapi.data.archetype import get_user_terminal_archetype
    from boaviztapi.dto.device import user_terminal
    from boaviztapi.dto.usage.usage import ElecFactors, Usage

    archetype_id, dto_name = TERMINALS[category]
    usage = Usage(
        usage_location=country,
        hours_life_time=lifetime_years * HOURS_PER_YEAR,
        use_time_ratio=use_ratio,
        elec_factors=ElecFactors(gwp=elec_gwp),
    )
    model = user_terminal.mapper_user_terminal(
        getattr(user_terminal, dto_name)(usage=usage),
        archetype=get_user_terminal_archetype(archetype_id),
    )
    compute_impacts(model=model, selected_criteria=list(CRITERIA), duration=HOURS_PER_YEAR)
    return {
        c: {"embodied": _impact(model, c, "embedded"), "use": _impact(model, c, "use")}
        for c in CRITERIA
    }


def server_profile(config=None, country="FRA"):
    """A server (archetype, or a known CPU/RAM/disk configuration): life impacts and power.

    config: {"cpu_units", "cpu_core_units", "ram_capacity_gb", "ssd_units", "hdd_units"}
    with any key missing left to the archetype.
    """
    from boaviztapi.compute.impacts_computation import compute_impacts
    from boaviztapi.data.archetype import get_server_archetype
    from boaviztapi.dto.device.device import Server, mapper_server
    from boaviztapi.dto.usage.usage import UsageServer

    config = {k: v for k, v in (config or {}).items() if v not in (None, "", 0)}
    configuration = {}
    if "cpu_units" in config or "cpu_core_units" in config:
        configuration["cpu"] = {
            k.removeprefix("cpu_"): int(v)
            for k, v in config.items()
            if k in ("cpu_units", "cpu_core_units")
        }
    if "ram_capacity_gb" in config:
        configuration["ram"] = [ram_sticks(int(config["ram_capacity_gb"]))]
    disks = []
    if "ssd_units" in config:
        disks.append({"units": int(config["ssd_units"]), "type": "ssd"})
    if "hdd_units" in config:
        disks.append({"units": int(config["hdd_units"]), "type": "hdd"})
    if disks:
        configuration["disk"] = disks
    dto = Server(configuration=configuration or None, usage=UsageServer(usage_location=country))
    model = mapper_server(dto, archetype=get_server_archetype(SERVER_ARCHETYPE))
    lifetime_hours = float(model.usage.hours_life_time.value)
    compute_impacts(model=model, selected_criteria=list(CRITERIA), duration=lifetime_hours)
    return {
        "archetype": SERVER_ARCHETYPE,
        "embodied": {c: _impact(model, c, "embedded") for c in CRITERIA},
        "lifetime_years": lifetime_hours / HOURS_PER_YEAR,
        "power_w": _bounds(model.usage.avg_power),
        "use_ratio": 1.0,
    }


def ram_sticks(total_gb):
    """A total memory as boaviztapi's server archetype holds it: sticks of its own size
    (32 GB for platform_compute_medium), as many as needed, never one giant stick."""
    from boaviztapi.data.archetype import get_server_archetype

    stick = float(get_server_archetype(SERVER_ARCHETYPE)["RAM"]["capacity"]["default"])
    units = max(1, math.floor(total_gb / stick + 0.5))
    return {"units": units, "capacity": total_gb / units}


def cloud_profile(provider, instance_type, region="FRA"):
    """Impacts of one hour of a cloud instance (embodied share and use on the region's grid).

    region: a country code (resolved from a provider region by inventory.catalogue).
    Returns None when boaviztapi has no such provider or instance type.
    """
    from boaviztapi.compute.impacts_computation import compute_impacts
    from boaviztapi.data.archetype import get_cloud_instance_archetype
    from boaviztapi.dto.device.device import Cloud, mapper_cloud_instance
    from boaviztapi.dto.usage.usage import UsageCloud

    provider = (provider or "").lower()
    if provider not in CLOUD_PROVIDERS:
        return None
    archetype = get_cloud_instance_archetype(instance_type, provider)
    if not archetype:
        return None
    dto = Cloud(
        provider=provider,
        instance_type=instance_type,
        usage=UsageCloud(usage_location=(region or "FRA").upper()),
    )
    model = mapper_cloud_instance(dto, archetype=archetype)
    compute_impacts(model=model, selected_criteria=list(CRITERIA), duration=1)
    return {
        "embodied": {c: _impact(model, c, "embedded") for c in CRITERIA},
        "use": {c: _impact(model, c, "use") for c in CRITERIA},
    }


def disk_profile(media, capacity_gb=None):
    """One drive of a data store: embodied over its life and power (boaviztapi components).

    capacity_gb: the drive's own capacity; boaviztapi's SSD impact grows with it (its die
    surface), the HDD's does not.
    """
    from boaviztapi.compute.impacts_computation import compute_impacts
    from boaviztapi.dto.component.disk import Disk, mapper_hdd, mapper_ssd

    dto = Disk(type=media, capacity=int(capacity_gb) if capacity_gb else None)
    component = {"hdd": mapper_hdd, "ssd": mapper_ssd}[media](dto)
    lifetime_hours = float(component.usage.hours_life_time.value)
    compute_impacts(model=component, selected_criteria=list(CRITERIA), duration=lifetime_hours)
    return {
        "embodied": {c: _impact(component, c, "embedded") for c in CRITERIA},
        "lifetime_years": lifetime_hours / HOURS_PER_YEAR,
        "power_w": tuple(float(x) for x in component.POWER_PER_DRIVE),
        "capacity_gb": float(component.capacity.value),
    }


def _year(model):
    from boaviztapi.compute.impacts_computation import compute_impacts

    compute_impacts(model=model, selected_criteria=list(CRITERIA), duration=HOURS_PER_YEAR)
    return {
        c: {"embodied": _impact(model, c, "embedded"), "use": _impact(model, c, "use")}
        for c in CRITERIA
    }


def server_year(config=None, country="FRA"):
    """boaviztapi's own result for one server over one year, for the agreement tests."""
    from boaviztapi.data.archetype import get_server_archetype
    from boaviztapi.dto.device.device import Server, mapper_server
    from boaviztapi.dto.usage.usage import UsageServer

    dto = Server(configuration=config or None, usage=UsageServer(usage_location=country))
    return _year(mapper_server(dto, archetype=get_server_archetype(SERVER_ARCHETYPE)))


def disk_year(media, capacity_gb, units):
    """boaviztapi's embodied impact of `units` drives over one year (agreement tests)."""
    from boaviztapi.dto.component.disk import Disk, mapper_hdd, mapper_ssd

    mapper = {"hdd": mapper_hdd, "ssd": mapper_ssd}[media]
    return _year(mapper(Disk(type=media, capacity=int(capacity_gb), units=units)))


def sources():
    """Where each kind of boaviztapi figure comes from, for the factors' provenance."""
    data = _factors_yml()
    out = {}
    for category, (archetype, name) in TERMINALS.items():
        del archetype
        entry = data.get(name.upper(), {})
        out[category] = {
            c: _source_of(entry.get(key)) for c, key in (("gwp", "gwp"), ("adpe", "adpe"),
                                                         ("pe", "pe"))
        }  # fmt: skip
    out["server"] = {
        "gwp": "modèle par composants de boaviztapi (processeur, mémoire, disques, carte mère, "
        "alimentation, boîtier, assemblage ; facteurs de data/factors.yml)",
        "pe": "modèle par composants de boaviztapi (mêmes composants)",
        "adpe": "valeur générique « serveur » d'ADEME Base Empreinte reprise par boaviztapi "
        "(ses composants n'ont pas de facteur ADPe) : "
        + _source_of(data.get("SERVER", {}).get("adpe")),
    }
    return out


def _source_of(entry):
    while isinstance(entry, dict) and "source" not in entry and entry:
        entry = next(iter(entry.values()))  # "pro" / "perso" variants share their source
    if isinstance(entry, dict) and entry.get("source"):
        return (
            f"ADEME Base Empreinte ({entry['source']})"
            if "base-empreinte" in str(entry["source"])
            else str(entry["source"])
        )
    return ""

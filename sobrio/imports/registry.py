"""Each app declares its importers here (in AppConfig.ready), the flow serves them all."""

from dataclasses import dataclass, field


@dataclass
class Importer:
    kind: str  # "assets", "cloud"...
    label: object  # shown in the upload form
    spec: object  # imports.spec.Spec
    resolvers: object  # (institution, values, *, create_missing) -> {field: resolver}
    choices: object  # (institution) -> {field: [(target, label)]} for the mapping selects
    commit: object  # (institution, rows, resolution, *, user, job) -> report dict
    plan: object = None  # (institution, resolution) -> [text] of what will be created
    creatable: tuple = ()  # mapped fields whose unknown values may be created
    urls: dict = field(default_factory=dict)  # "home", "template" url names
    nav: str = ""  # template of the section's tabs
    group: str = ""  # importers of one group share an upload page
    spec_for: object = None  # (institution) -> Spec, when its checks depend on the institution
    intro: object = ""  # what the group's upload page says it reads (its first importer's)

    def spec_of(self, institution):
        return self.spec_for(institution) if self.spec_for else self.spec


IMPORTERS = {}


def register(importer):
    if importer.kind in IMPORTERS:
        raise ValueError(f"importer {importer.kind!r} registered twice")
    IMPORTERS[importer.kind] = importer


def get(kind):
    return IMPORTERS[kind]


def of_group(group):
    return [i for i in IMPORTERS.values() if i.group == group]

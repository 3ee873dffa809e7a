"""Whatever the bytes or the query string, no importer and no list answers a server error."""

import contextlib
import io
import zipfile

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobrio.core.enums import Role
from sobrio.imports.problems import ImportFailure
from tests.factories import CampaignFactory, InstitutionFactory, MembershipFactory, PlanFactory

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = [
    "Numéro d'inventaire",
    "Type",
    "Date d'achat",
    "Entité",
    "Quantité",
    "Statut",
    "Nom",
    "Fournisseur",
    "Volume (To)",
    "code",
    "statut",
    "Identifiant",
    "Axe",
    "Intitulé",
    "categorie",
    "critere",
    "phase",
    "valeur",
    "unite",
    "source",
    "=A1",
]
cell = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["inf", "1e999", "-0", "31/02/2024", "=SUM(A1)", "@x", "Réformé", "> a > b"]),
    st.none(),
)
table = st.tuples(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6, unique=True),
    st.lists(st.lists(cell, max_size=7), max_size=6),
)


def _files(header, rows):
    """The same table as CSV (UTF-8 and Windows-1252), XLSX, ODS and a broken archive."""
    text = "\n".join(";".join("" if c is None else str(c) for c in [*header]) for _ in [0])
    text += "\n" + "\n".join(";".join("" if c is None else str(c) for c in r) for r in rows)
    data = tablib.Dataset(headers=header)
    for r in rows:
        data.append(([*r, *[None] * len(header)])[: len(header)])
    out = {"t.csv": text.encode("utf-8", "replace")}
    with contextlib.suppress(UnicodeEncodeError):
        out["t1252.csv"] = text.encode("cp1252")
    for fmt in ("xlsx", "ods"):
        with contextlib.suppress(Exception):  # a value tablib cannot write is not our case
            out[f"t.{fmt}"] = data.export(fmt)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", text[:50])
        z.writestr("xl/workbook.xml", text[:50])
    out["cassé.xlsx"] = buffer.getvalue()
    return out


def _readers(institution, plan, campaign):
    from sobrio.assessment import services as assessment
    from sobrio.footprint import factor_files
    from sobrio.imports import flow
    from sobrio.plan import exchange
    from sobrio.referentials import importers

    return [
        lambda d, n: flow.run_file(institution, "assets", d, n, create_missing=True),
        lambda d, n: flow.run_file(institution, "cloud", d, n, valid_only=True),
        lambda d, n: flow.run_file(institution, "stores", d, n),
        lambda d, n: factor_files.read(d, n),
        lambda d, n: importers.read(d, n),
        lambda d, n: exchange.read(plan, d, n),
        lambda d, n: assessment.answers_import(campaign=campaign, data=d, filename=n),
    ]


@pytest.mark.django_db
@FUZZ
@given(table=table, raw=st.binary(max_size=300))
def test_no_importer_fails_on_any_file(table, raw):
    institution = InstitutionFactory()
    plan = PlanFactory(institution=institution)
    campaign = CampaignFactory(institution=institution)
    header, rows = table
    files = {
        **_files(header, rows),
        "brut.bin": raw,
        "brut.csv": raw,
        "brut.xlsx": b"PK\x03\x04" + raw,
    }
    for name, data in files.items():
        for read in _readers(institution, plan, campaign):
            with contextlib.suppress(ImportFailure, ValidationError):
                read(data, name)  # a clear refusal is the expected answer to a bad file


param = st.one_of(
    st.text(max_size=25),
    st.sampled_from(["99999999999999999999", "-1", "0", "inf", "é", "%00", "1e3", "-", ""]),
)


@pytest.mark.django_db
@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "unit",
                "axis",
                "status",
                "category",
                "year",
                "q",
                "sort",
                "page",
                "late",
                "mine",
                "who",
                "what",
                "since",
                "until",
                "site",
                "by",
                "method",
                "factor_set",
                "statut",
                "famille",
            ]
        ),
        param,
        max_size=5,
    )
)
def test_no_list_fails_on_any_filter(client, params):
    member = MembershipFactory(role=Role.ADMIN)
    PlanFactory(institution=member.institution)
    client.force_login(member.user)
    for name in (
        "measure_assets",
        "plan_actions",
        "audit_log",
        "measure_breakdown",
        "measure",
        "assess",
        "report",
    ):
        response = client.get(reverse(name), params)
        assert response.status_code < 500, (name, params)

"""Réseau: hand-computed medians and quartiles, the secrecy rules (2 members; a dominant
one), anonymity, withdrawal, signed files (tampered, replayed, not a member), shared
actions, the pages and who may read them, the CLI."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.network import services, stats
from sobrio.network.models import NetworkViewer
from sobrio.plan.models import Action, Axis, Plan
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory

YEAR = 2026


@pytest.fixture
def network(db):
    return services.create("region", "Réseau régional")


def _member(network, name, done, anonymous=False, groups=("plan",)):
    institution = InstitutionFactory(name=name, slug=name.lower())
    plan = Plan.objects.create(
        institution=institution, title="Plan", starts_on="2026-01-01", ends_on="2028-12-31"
    )
    axis = Axis.objects.create(institution=institution, plan=plan, name="Usages", position=1)
    for i in range(done):
        Action.objects.create(
            institution=institution,
            plan=plan,
            axis=axis,
            label=f"A{i}",
            status="done",
            done_on="2026-03-01",
        )
    member = services.accept(services.invite(network, institution))
    services.share(member, list(groups), anonymous=anonymous)
    return member


def test_quartiles_and_median_equal_hand_computed_ones(network):
    for name, done in (("A", 2), ("B", 4), ("C", 6), ("D", 8), ("E", 20)):
        _member(network, name, done)
    result = services.benchmark(network, "actions_done", YEAR)
    # sorted 2, 4, 6, 8, 20: median 6; inclusive quartiles: Q1 = 4, Q3 = 8
    assert (result["members"], result["median"], result["q1"], result["q3"]) == (5, 6, 4, 8)
    assert result["total"] == 40 and result["shown"] is True
    assert [v["value"] for v in result["values"]] == [2, 4, 6, 8, 20]
    assert stats.quartiles([1.0, 2.0, 3.0, 4.0]) == (1.75, 2.5, 3.25)  # interpolated


def test_two_members_show_nothing_and_a_dominant_one_hides_the_total(network, capsys):
    _member(network, "A", 3), _member(network, "B", 4)
    result = services.benchmark(network, "actions_done", YEAR)
    assert result["shown"] is False and result["median"] is None and result["total"] is None
    assert "moins de 3" in result["reason"] and result["values"] == []
    _member(network, "C", 100)  # 100 of 107: more than 85 %
    result = services.benchmark(network, "actions_done", YEAR)
    assert result["shown"] is True and result["median"] == 4 and result["total"] is None
    assert "85 %" in result["reason"]
    # secondary suppression: every member is named, so their values would add up to the
    # hidden total, and min, max and the quartiles of three give all three values
    assert result["values"] == [] and result["min"] is None and result["max"] is None
    assert result["q1"] is None and result["q3"] is None
    call_command(
        "network",
        "benchmark",
        "region",
        "--figure",
        "actions_done",
        "--year",
        "2026",
        "--format",
        "json",
    )
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"members", "shown", "reason", "median", "q1", "q3", "total", "values"}
    assert printed["total"] is None and printed["median"] == 4


def test_an_anonymous_member_counts_but_is_never_named(network, client):
    _member(network, "Alpha", 2)
    _member(network, "Beta", 4)
    hidden = _member(network, "Gamma", 6, anonymous=True)
    result = services.benchmark(network, "actions_done", YEAR)
    assert result["members"] == 3 and result["median"] == 4
    assert [v["institution"] for v in result["values"]] == ["Alpha", "Beta"]
    viewer = UserFactory()
    NetworkViewer.objects.create(network=network, user=viewer)
    client.force_login(viewer)
    for name in ("network_detail", "network_report", "network_actions"):
        page = client.get(reverse(name, args=[network.pk])).content.decode()
        assert "Gamma" not in page, name
        assert name == "network_actions" or "Alpha" in page, name
    assert (
        "1 membre anonyme"
        in client.get(reverse("network_detail", args=[network.pk])).content.decode()
    )
    del hidden


def test_a_withdrawn_member_disappears_at_once(network):
    members = [_member(network, n, d) for n, d in (("A", 2), ("B", 4), ("C", 6))]
    assert services.benchmark(network, "actions_done", YEAR)["members"] == 3
    services.withdraw(members[2])
    result = services.benchmark(network, "actions_done", YEAR)
    assert result["members"] == 2 and result["shown"] is False
    services.share(members[0], [])  # unticking a figure stops it too
    assert services.benchmark(network, "actions_done", YEAR)["members"] == 1


def test_a_signed_export_is_accepted_once_and_a_tampered_one_refused(network, tmp_path):
    member = _member(network, "A", 3)
    outsider = InstitutionFactory(slug="dehors")
    document = services.export(member.institution, network, [YEAR])
    assert document["payload"]["values"][0] == {
        "figure": "actions_done",
        "year": YEAR,
        "referential": "",
        "value": 3.0,
        "basis": {},
    }
    tampered = json.loads(json.dumps(document))
    tampered["payload"]["values"][0]["value"] = 300.0
    with pytest.raises(services.Refused, match="signature invalide"):
        services.import_file(json.dumps(tampered))
    accepted = services.import_file(json.dumps(document))
    assert accepted.remote and accepted.values.get().value == 3.0
    with pytest.raises(services.Refused, match="rejeu"):
        services.import_file(json.dumps(document))
    forged = json.loads(json.dumps(document))
    forged["payload"]["institution"] = outsider.slug
    with pytest.raises(services.Refused, match="pas membre"):
        services.import_file(json.dumps(forged))
    for garbage in ("", "{}", "[]", '{"payload": 3, "signature": "x"}', "\x00" * 10):
        with pytest.raises(services.Refused):
            services.import_file(garbage)
    path = tmp_path / "export.json"
    call_command(
        "network",
        "export",
        "--institution",
        "a",
        "--network",
        "region",
        "--years",
        "2026",
        "-o",
        str(path),
    )
    call_command("network", "import", str(path))  # a newer file: accepted


def _resigned(document, institution):
    """The document with its payload signed again by the member's own key: what a member
    could send, so that the checks after the signature are reached."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sobrio.core import sealing

    key = services.key_of(institution)
    private = Ed25519PrivateKey.from_private_bytes(
        sealing.unseal(key.private_key, services.PURPOSE)
    )
    signature = services._b64(private.sign(services._canonical(document["payload"])))
    return json.dumps({"payload": document["payload"], "signature": signature})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda p: p["values"][0].update(value=1e308), "hors des bornes"),
        (lambda p: p["values"][0].update(value=-(10**400)), "hors des bornes"),
        (lambda p: p.update(generated_at="2030-01-01T10:00:00"), "fuseau horaire"),
        (lambda p: p.update(generated_at="2030-13-45T10:00:00+00:00"), "date"),
        (lambda p: p["values"].append([1, 2]), "illisible"),
    ],
)
def test_a_signed_export_with_an_unbounded_value_or_a_naive_date_is_refused(
    network, change, reason
):
    """Issue 26: these reached the benchmark's totals, or gave a traceback."""
    member = _member(network, "A", 3)
    document = services.export(member.institution, network, [YEAR])
    change(document["payload"])
    with pytest.raises(services.Refused, match=reason):
        services.import_file(_resigned(document, member.institution))
    assert not member.values.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"payload": {"values": [{"value": NaN}]}, "signature": ""}', "NaN"),
        ('{"payload": {"values": [{"value": -Infinity}]}, "signature": ""}', "Infinity"),
        ("[" * 100_000 + "]" * 100_000, "imbriqué"),
    ],
)
def test_an_export_with_nan_infinity_or_deep_nesting_is_refused_cleanly(db, text, reason):
    with pytest.raises(services.Refused, match=reason):
        services.import_file(text)


def test_an_action_is_published_and_copied_with_its_origin(network, client):
    source = _member(network, "Source", 1)
    action = Action.objects.get(institution=source.institution)
    shared = services.publish(source, action, results="−30 % d'impressions")
    target = _member(network, "Cible", 0)
    officer = MembershipFactory(institution=target.institution, role=Role.OFFICER).user
    client.force_login(officer)
    axis = Axis.objects.get(institution=target.institution)
    page = client.get(reverse("network_actions", args=[network.pk])).content.decode()
    assert "−30 % d&#x27;impressions" in page or "−30 % d'impressions" in page
    client.post(
        reverse("network_actions", args=[network.pk]),
        {"copy": "1", "shared": shared.pk, "axis": axis.pk},
    )
    copy = Action.objects.get(institution=target.institution)
    assert copy.label == action.label and "Source" in copy.description


def test_only_members_and_viewers_read_a_network(network, client):
    member = _member(network, "A", 1)
    stranger = MembershipFactory(institution=InstitutionFactory(), role=Role.ADMIN).user
    client.force_login(stranger)
    for name in ("network_detail", "network_share", "network_actions", "network_report"):
        assert client.get(reverse(name, args=[network.pk])).status_code == 404, name
    admin = MembershipFactory(institution=member.institution, role=Role.ADMIN).user
    client.force_login(admin)
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 200
    pdf = client.get(reverse("network_report_pdf", args=[network.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    odt = client.get(reverse("network_report_odt", args=[network.pk]))
    assert odt.content[:2] == b"PK"
    response = client.post(reverse("network_share", args=[network.pk]), {"withdraw": "1"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == "withdrawn"
    key = client.get(reverse("network_public_key", args=[member.institution.slug])).json()
    assert key["algorithm"] == "Ed25519" and len(key["public_key"]) == 43


def test_a_network_viewer_reaches_no_row_of_any_institution(network, client):
    from tests.core.test_access import MEMBER_ROUTES, _url
    from tests.factories import FACTORIES

    member = _member(network, "A", 1)
    objects = {}
    for model, factory in FACTORIES.items():
        objects[model._meta.model_name + "_id"] = factory(institution=member.institution)
    objects["institution"] = member.institution
    viewer = UserFactory()
    NetworkViewer.objects.create(network=network, user=viewer)
    client.force_login(viewer)
    for pattern, kwargs in MEMBER_ROUTES:
        response = client.get(_url(pattern, kwargs, objects))
        assert response.status_code in (302, 403, 404), pattern.name
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == 200


def test_the_benchmark_reads_members_figures_kept_per_data_version(network):
    """Issue 26: 75 queries per member at every visit (5.5 s at 60 members). Each member's
    figure is kept under its data version: a second visit costs the same few queries at 3
    members as at 9, and a change of one member is seen at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as seen:
            result = services.benchmark(network, "actions_done", YEAR)
        return len(seen.captured_queries), result

    members = [_member(network, f"M{n}", n + 1) for n in range(3)]
    first, _result = queries()
    few, result = queries()
    assert few < first and result["members"] == 3 and result["median"] == 2
    for n in range(3, 9):
        _member(network, f"M{n}", n + 1)
    queries()
    assert queries()[0] == few  # as many at 9 members as at 3
    plan = Plan.objects.get(institution=members[0].institution)
    Action.objects.create(institution=plan.institution, plan=plan, axis=plan.axes.first(),
                          label="Encore", status="done", done_on="2026-04-01")  # fmt: skip
    assert sorted(v["value"] for v in queries()[1]["values"])[:2] == [2, 2]  # M0 now has 2


def test_the_members_figures_are_computed_ahead_so_a_first_visit_reads_them(network):
    """The chore computes each member's shared figures into the cache: the first visit
    of the benchmark then costs what a second one does, at 3 members as at 9."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def visit():
        with CaptureQueriesContext(connection) as seen:
            services.benchmark(network, "actions_done", YEAR)
        return len(seen.captured_queries)

    for n in range(3):
        _member(network, f"W{n}", n + 1)
    assert services.warm_figures(today=datetime.date(YEAR, 6, 1)) >= 3
    few = visit()
    for n in range(3, 9):
        _member(network, f"W{n}", n + 1)
    services.warm_figures(today=datetime.date(YEAR, 6, 1))
    assert visit() == few

"""Every URL of the project, walked as every role of two institutions.

New URLs are covered without touching this file: a view must declare its access
(@member_required or @public), and an object kwarg must be named <model>_id for a
model listed in tests.factories.FACTORIES.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sobrio.core import perms
from sobrio.core.enums import Role
from sobrio.core.models import Membership, Unit
from sobrio.core.tenancy import PARTICIPATE
from tests.factories import FACTORIES, InstitutionFactory, MembershipFactory, UnitFactory

SENTINEL = "Sentinelle-A-7f3c"


def walk(patterns=None, prefix_kwargs=()):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        kwargs = (*prefix_kwargs, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, kwargs)
        elif isinstance(entry, URLPattern):
            yield entry, kwargs


ROUTES = list(walk())
PRIVATE = [(p, kw) for p, kw in ROUTES if getattr(p.callback, "sobrio_capability", None)]
MEMBER_ROUTES = [(p, kw) for p, kw in PRIVATE if p.callback.sobrio_capability in perms.ALL]
# The « Participer » space of an institution: /participer/<slug>/…, for its members only.
SPACE_ROUTES = [(p, kw) for p, kw in PRIVATE if p.callback.sobrio_capability == PARTICIPATE]
PERSONAL = {"attempt_id", "certificate_id"}  # objects of one person in the space


def test_every_url_has_a_name_and_declares_its_access():
    for pattern, _ in ROUTES:
        assert pattern.name, f"{pattern.pattern} has no name"
        assert hasattr(pattern.callback, "sobrio_capability"), (
            f"{pattern.name}: decorate the view with @member_required(...) or @public"
        )


def test_roles_get_what_design_md_gives_them():
    caps = perms.CAPABILITIES
    assert caps[Role.ADMIN] == perms.ALL
    assert caps[Role.OFFICER] == perms.ALL - {perms.MANAGE_MEMBERS, perms.MANAGE_SETTINGS}
    assert caps[Role.CONTRIBUTOR] == {perms.VIEW, perms.CONTRIBUTE}
    assert caps[Role.VIEWER] == {perms.VIEW}
    assert caps[Role.PARTICIPANT] == set()  # the « Participer » space only


@pytest.fixture
def world(db):
    """Institution A, whose rows nobody else may reach, and institution B with every role."""
    a = InstitutionFactory(name=SENTINEL, slug="a")
    b = InstitutionFactory(name="Institution B", slug="b")
    objects = {}
    for model, factory in FACTORIES.items():
        obj = factory(institution=a)
        objects[model._meta.model_name + "_id"] = obj
    UnitFactory(institution=a, name=f"{SENTINEL}-unit")
    a_members = {role: MembershipFactory(institution=a, role=role) for role in Role}
    b_members = {role: MembershipFactory(institution=b, role=role) for role in Role}
    objects["institution"] = a  # the <slug> of the « Participer » space: A's
    # A's participant is of A's community (its address's domain is open to participants)
    a.participant_domains = a_members[Role.PARTICIPANT].user.email.rpartition("@")[2]
    a.save()
    return a, objects, a_members, b_members


def _url(pattern, kwargs, objects):
    missing = [k for k in kwargs if k not in objects and k not in ("slug", "token")]
    assert not missing, (
        f"{pattern.name}: URL kwarg(s) {missing} unknown; name object kwargs <model>_id and "
        "add the model's factory to tests.factories.FACTORIES"
    )
    values = {
        k: objects["institution"].slug if k == "slug" else "x" if k == "token" else objects[k].pk
        for k in kwargs
    }
    return reverse(pattern.name, kwargs=values)


def _snapshot(objects):
    return {k: type(o).objects.filter(pk=o.pk).values().first() for k, o in objects.items()}


def _is_space_login(response, objects):
    signin = reverse("participate_signin", kwargs={"slug": objects["institution"].slug})
    return response.status_code == 302 and response["Location"].startswith(signin)


def test_a_member_of_b_never_reaches_a_row_of_a(world, client):
    a, objects, _, b_members = world
    before = _snapshot(objects)
    object_routes = [(p, kw) for p, kw in PRIVATE if kw]
    assert object_routes, "no object URL found: the walker is broken"
    for role, membership in b_members.items():
        client.force_login(membership.user)
        for pattern, kwargs in object_routes:
            url = _url(pattern, kwargs, objects)
            for method in (client.get, client.post):
                response = method(url, {"name": "pirate", "role": "admin"})
                own_space = reverse("participate_home", kwargs={"slug": "b"})
                if role == Role.PARTICIPANT and response.status_code == 302:
                    assert response["Location"] == own_space, url  # back to B's space
                    continue
                assert response.status_code in (403, 404, 405), (
                    f"{role} of B got {response.status_code} on {method.__name__.upper()} {url}"
                )
                if method is client.post:
                    assert response.status_code in (403, 404), f"{role} of B POST {url}"
    assert _snapshot(objects) == before, "a row of A changed"


def test_pages_without_ids_never_show_a_row_of_a(world, client):
    _, _, _, b_members = world
    for role, membership in b_members.items():
        client.force_login(membership.user)
        for pattern, kwargs in MEMBER_ROUTES:
            if kwargs:
                continue
            response = client.get(reverse(pattern.name))
            if response.status_code == 200:
                raw = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                body = raw.decode(errors="replace")  # downloads may be binary
                assert SENTINEL not in body, f"{pattern.name} as {role} of B"


def test_each_role_gets_exactly_its_capabilities(world, client):
    a, objects, a_members, _ = world
    for role, membership in a_members.items():
        client.force_login(membership.user)
        for pattern, kwargs in MEMBER_ROUTES:
            url = _url(pattern, kwargs, objects)
            allowed = perms.has_capability(membership, pattern.callback.sobrio_capability)
            response = client.get(url)
            if role == Role.PARTICIPANT:  # the team's pages are not theirs: to the space
                space = reverse("participate_home", kwargs={"slug": a.slug})
                assert response.status_code == 302 and response["Location"] == space, url
                continue
            expected = 200 if allowed else 403
            assert response.status_code == expected, (
                f"{role} GET {url}: {response.status_code}, expected {expected}"
            )
        for pattern, kwargs in SPACE_ROUTES:  # every member of A takes part in A's space
            if pattern.callback.__name__ in ("my_data_erase", "quiz_start"):
                continue  # POST only (and one would erase the member's data)
            url = _url(pattern, kwargs, objects)
            # what belongs to one person (an attempt) is nobody else's: the walker's
            # members own none of the objects, so those pages do not exist for them
            expected = 404 if set(kwargs) & PERSONAL else 200
            assert client.get(url).status_code == expected, f"{role} GET {url}"


def test_anonymous_visitors_are_sent_to_login(db, world, client):
    _, objects, _, _ = world
    for pattern, kwargs in PRIVATE:
        url = _url(pattern, kwargs, objects)
        response = client.get(url)
        if response.status_code == 405:  # POST-only
            response = client.post(url)
        if (pattern, kwargs) in SPACE_ROUTES:  # the space has its own sign-in
            assert _is_space_login(response, objects), url
            continue
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_user_without_membership_is_refused(db, client):
    user = MembershipFactory().user
    Membership.objects.filter(user=user).delete()
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    assert "aucun établissement" in response.content.decode()


def test_switching_to_an_institution_one_is_not_member_of_is_404(world, client):
    a, _, _, b_members = world
    client.force_login(b_members[Role.ADMIN].user)
    response = client.post(reverse("institution_switch"), {"institution": a.pk})
    assert response.status_code == 404
    assert Unit.objects.filter(institution=a).exists()

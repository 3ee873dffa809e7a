from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from sobrio.core.enums import Role
from sobrio.core.models import Membership, Unit, User
from tests.factories import InstitutionFactory, MembershipFactory, UnitFactory


def text(response):
    return unescape(response.content.decode())


def test_admin_adds_a_new_person_who_gets_a_link_to_choose_a_password(members, client_as):
    client = client_as(members[Role.ADMIN])
    dsi = Unit.objects.get(name="DSI")
    response = client.post(
        reverse("member_add"),
        {"email": "Nouvelle@Example.org", "role": Role.CONTRIBUTOR, "units": [dsi.pk]},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle@example.org")
    assert membership.role == Role.CONTRIBUTOR
    assert list(membership.units.all()) == [dsi]
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/compte/mot-de-passe/" in mail.outbox[0].body


def test_adding_someone_already_member_says_so_on_the_form(members, client_as):
    client = client_as(members[Role.ADMIN])
    email = members[Role.VIEWER].user.email
    response = client.post(reverse("member_add"), {"email": email, "role": Role.OFFICER})
    assert response.status_code == 200
    assert "déjà membre" in text(response)
    assert Membership.objects.get(user__email=email).role == Role.VIEWER


def test_a_person_of_another_institution_keeps_one_account(members, client_as):
    other = MembershipFactory(role=Role.ADMIN)
    client = client_as(members[Role.ADMIN])
    response = client.post(reverse("member_add"), {"email": other.user.email, "role": Role.VIEWER})
    assert User.objects.filter(email=other.user.email).count() == 1
    # invited, not attached: the admin learns nothing of the account (not even its name)
    assert other.user.memberships.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert other.user.full_name not in page
    (message,) = mail.outbox  # an invitation, not a password link
    assert "invitation" in message.subject.lower()
    from sobrio.core.models import Invitation

    invitation = Invitation.objects.get(email=other.user.email)
    invitee = client_as(other)
    invitee.post(reverse("invitation_accept", args=[invitation.pk]))
    assert other.user.memberships.count() == 2


def test_units_of_another_institution_are_not_offered(members, client_as):
    foreign = UnitFactory(name="Unité étrangère")
    client = client_as(members[Role.ADMIN])
    response = client.post(
        reverse("member_add"),
        {"email": "x@example.org", "role": Role.CONTRIBUTOR, "units": [foreign.pk]},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_the_last_admin_cannot_be_demoted_or_removed(members, client_as):
    admin = members[Role.ADMIN]
    client = client_as(admin)
    response = client.post(reverse("member_update", args=[admin.pk]), {"role": Role.VIEWER})
    assert response.status_code == 200
    assert "au moins un·e admin" in text(response)
    client.post(reverse("member_remove", args=[admin.pk]))
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_admin_changes_a_role_and_the_audit_trail_records_who(members, client_as):
    admin = members[Role.ADMIN]
    viewer = members[Role.VIEWER]
    client = client_as(admin)
    client.post(reverse("member_update", args=[viewer.pk]), {"role": Role.OFFICER})
    viewer.refresh_from_db()
    assert viewer.role == Role.OFFICER
    response = client.get(reverse("audit_log"))
    table = unescape(response.content.decode().partition("<tbody>")[2].partition("</tbody>")[0])
    assert admin.user.full_name and admin.user.full_name in table  # who, by their name
    assert "role" in text(response)


def test_units_nest_and_a_unit_cannot_be_its_own_ancestor(institution, members, client_as):
    client = client_as(members[Role.ADMIN])
    client.post(reverse("unit_create"), {"name": "UFR Sciences", "kind": "component"})
    ufr = Unit.objects.get(name="UFR Sciences")
    client.post(reverse("unit_create"), {"name": "Labo", "kind": "laboratory", "parent": ufr.pk})
    labo = Unit.objects.get(name="Labo")
    assert labo.parent == ufr
    response = client.post(
        reverse("unit_update", args=[ufr.pk]),
        {"name": "UFR Sciences", "kind": "component", "parent": labo.pk},
    )
    assert response.status_code == 200
    ufr.refresh_from_db()
    assert ufr.parent is None


def test_a_unit_with_sub_units_is_not_deleted(institution, members, client_as):
    parent = UnitFactory(institution=institution, name="Parent")
    UnitFactory(institution=institution, name="Enfant", parent=parent)
    client = client_as(members[Role.ADMIN])
    response = client.post(reverse("unit_delete", args=[parent.pk]), follow=True)
    assert "contient d'autres unités" in text(response)
    assert Unit.objects.filter(pk=parent.pk).exists()


def test_dashboard_counts_come_from_the_database(institution, members, client_as):
    UnitFactory.create_batch(3, institution=institution)
    UnitFactory.create_batch(5)  # another institution's
    response = client_as(members[Role.VIEWER]).get(reverse("dashboard"))
    figures = response.context["figures"]
    assert figures["units"] == 4  # DSI + 3
    assert figures["members"] == 4


@pytest.mark.parametrize("url_name", ["unit_list", "member_list", "audit_log"])
def test_list_pages_run_a_fixed_number_of_queries(
    url_name, institution, members, client_as, django_assert_max_num_queries
):
    client = client_as(members[Role.ADMIN])
    for i in range(30):
        m = MembershipFactory(institution=institution, role=Role.CONTRIBUTOR)
        unit = UnitFactory(institution=institution, name=f"Unité {i}")
        m.units.set([unit])
    with django_assert_max_num_queries(14):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == (20 if url_name == "audit_log" else 25)


def test_a_member_of_two_institutions_switches_between_them(members, client_as):
    officer = members[Role.OFFICER]
    other = InstitutionFactory(name="Autre université")
    UnitFactory(institution=other, name="Unité de l'autre")
    MembershipFactory(institution=other, user=officer.user, role=Role.VIEWER)
    client = client_as(officer)
    assert "Unité de l'autre" not in text(client.get(reverse("unit_list")))
    response = client.post(
        reverse("institution_switch"), {"institution": other.pk, "next": "/etablissement/unites/"}
    )
    assert response["Location"] == "/etablissement/unites/"
    page = text(client.get(reverse("unit_list")))
    assert "Unité de l'autre" in page
    assert "DSI" not in page
    # The role follows the institution: a viewer there.
    assert client.get(reverse("unit_create")).status_code == 403


def test_switch_refuses_an_outside_redirect(members, client_as):
    client = client_as(members[Role.OFFICER])
    response = client.post(
        reverse("institution_switch"),
        {"institution": members[Role.OFFICER].institution_id, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard")


def test_language_switch_serves_english(members, client_as):
    client = client_as(members[Role.VIEWER])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = text(client.get(reverse("dashboard")))
    assert 'lang="en"' in page
    assert "Dashboard" in page


def test_french_is_served_whatever_the_browser_asks(members, client_as):
    client = client_as(members[Role.VIEWER])
    page = client.get(reverse("dashboard"), headers={"accept-language": "en-US,en;q=0.9"})
    assert 'lang="fr"' in page.content.decode()
    assert "Tableau de bord" in page.content.decode()

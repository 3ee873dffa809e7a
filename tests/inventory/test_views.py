"""The inventory's record pages as people who may only read them see them."""


def test_a_record_reads_in_words_for_those_who_cannot_change_it(client, db):
    """A viewer sees « Oui », « À décider », « 1,5 », never True, undecided or 1.5 (issue 25)."""
    from django.urls import reverse

    from sobrio.core.enums import Role
    from tests.factories import (
        DataStoreFactory,
        InstitutionFactory,
        MembershipFactory,
        ServerRoomFactory,
    )

    institution = InstitutionFactory()
    room = ServerRoomFactory(institution=institution, pue_measured=True)
    store = DataStoreFactory(institution=institution)
    client.force_login(MembershipFactory(institution=institution, role=Role.VIEWER).user)
    page = client.get(reverse("measure_room", args=[room.pk])).content.decode()
    assert "<dd>Oui</dd>" in page and "True" not in page and "<dd>1,5" in page
    page = client.get(reverse("measure_store", args=[store.pk])).content.decode()
    assert "À décider" in page and "undecided" not in page

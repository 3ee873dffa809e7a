from sobrio.core import perms
from sobrio.core.enums import Role
from tests.factories import MembershipFactory, UnitFactory


def test_a_contributor_edits_rows_of_their_units_and_sub_units_only(institution):
    dsi = UnitFactory(institution=institution, name="DSI")
    infra = UnitFactory(institution=institution, name="Infra", parent=dsi)
    library = UnitFactory(institution=institution, name="BU")
    contributor = MembershipFactory(institution=institution, role=Role.CONTRIBUTOR)
    contributor.units.set([dsi])
    assert perms.can_edit_unit_data(contributor, dsi.pk)
    assert perms.can_edit_unit_data(contributor, infra.pk)
    assert not perms.can_edit_unit_data(contributor, library.pk)
    assert not perms.can_edit_unit_data(contributor, None)


def test_officers_edit_every_unit_and_viewers_none(institution):
    unit = UnitFactory(institution=institution)
    officer = MembershipFactory(institution=institution, role=Role.OFFICER)
    viewer = MembershipFactory(institution=institution, role=Role.VIEWER)
    viewer.units.set([unit])  # attaching a viewer to a unit gives no right to edit it
    assert perms.can_edit_unit_data(officer, unit.pk)
    assert not perms.can_edit_unit_data(viewer, unit.pk)
    assert not perms.has_capability(None, perms.VIEW)

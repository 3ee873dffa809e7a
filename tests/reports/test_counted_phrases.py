"""The reports' counted sentences read in French for 0, 1 and 2 (issue 25)."""

from django.utils import translation

from sobrio.reports.templatetags.reports import campaign_line


def test_a_cleanup_campaign_counts_in_french():
    with translation.override("fr"):
        one = campaign_line({"name": "Mars", "participants": 1, "teams": 0,
                             "gb_deleted": 1.5, "devices_collected": 2})  # fmt: skip
        many = campaign_line({"name": "Mars", "participants": 12, "teams": 3,
                              "gb_deleted": 1234.5, "devices_collected": 0})  # fmt: skip
    assert one == ("Nettoyage numérique « Mars » : 1 participant·e, 0 équipe, 1,5 Go supprimé, "
                   "2 appareils collectés (déclarations acceptées).")  # fmt: skip
    assert "12 participant·es, 3 équipes, 1\xa0234 Go supprimés, 0 appareil collecté" in many

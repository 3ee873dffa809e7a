"""The cleanup day of the demo: a campaign open now, with unit teams, an association,
pledges signed in and anonymous, one of them moderated.
Idempotent, in Sobrio's own words."""

import datetime

from django.utils import timezone

from sobrio.cleanup import services as cleanup
from sobrio.cleanup.models import CleanupCampaign, Pledge, Team, TeamKind
from sobrio.core import demo as core_demo
from sobrio.core.models import Membership, User


def load(institution):
    if not CleanupCampaign.objects.for_institution(institution).exists():
        _campaign(institution, core_demo.community(institution))


def _campaign(institution, people):
    today = timezone.localdate()
    campaign = CleanupCampaign.objects.create(
        institution=institution,
        name="Semaine du nettoyage numérique",
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=5),
        description=(
            "Videz vos boîtes et vos espaces, apportez les appareils qui dorment dans vos "
            "tiroirs : ceux qui marchent partent au réemploi, les autres au recyclage. "
            "Chaque geste compte dans le classement de votre équipe."
        ),
        anonymous=True,
        goal_participants=300,
        goal_devices=100,
        substitution_percent=50,
    )
    cleanup.add_unit_teams(campaign)
    Team.objects.create(institution=institution, campaign=campaign, name="Association Campus vert",
                        kind=TeamKind.ASSOCIATION)  # fmt: skip
    teams = {t.name: t for t in campaign.teams.all()}
    declared = [
        (people[0], "UFR Sciences et techniques",
         {"gb_mailbox": 3.5, "gb_personal_drive": 12, "mails_deleted": 4200,
          "actions": ["newsletters", "bins"]}),
        (people[1], "Bibliothèque universitaire",
         {"gb_shared_drive": 40, "files_deleted": 900, "laptop_reuse": 2, "screen_reuse": 3,
          "cables_kg": 4.5}),
        (people[2], "Direction du système d'information (DSI)",
         {"gb_mailbox": 1.2, "gb_phone": 6, "smartphone_reuse": 1, "smartphone_recycling": 2,
          "actions": ["apps", "duplicates"]}),
        (None, "Association Campus vert", {"gb_phone": 4, "gb_cloud": 20, "tablet_reuse": 1}),
        (None, "Association Campus vert", {"mails_deleted": 1500, "actions": ["rules"]}),
        (None, None, {"gb_personal_drive": 8, "laptop_recycling": 1}),
    ]  # fmt: skip
    for user, team, values in declared:
        membership = Membership.objects.filter(institution=institution, user=user).first()
        cleanup.submit(
            campaign,
            {"team": teams.get(team), **values},
            token=cleanup.new_token(),
            user=user,
            unit=membership.affiliation if membership else None,
        )
    officer = User.objects.filter(email="referente@demo.sobrio.fr").first()
    first_anonymous = Pledge.objects.filter(campaign=campaign, user=None).order_by("pk").first()
    cleanup.moderate(Pledge.objects.filter(pk=first_anonymous.pk), True, by=officer)

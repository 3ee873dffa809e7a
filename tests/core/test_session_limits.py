"""Sessions end: 12 hours after the sign-in, 30 minutes idle for the team, 4 hours idle
for a participant (issue 22, OWASP ASVS 3.3)."""

import time

from sobrio.core.enums import Role


def _age(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[f"sobrio-{key}-at"] = now - ago
    session.save()


def test_a_team_member_idle_for_half_an_hour_signs_in_again(members, client_as):
    client = client_as(members[Role.OFFICER])
    assert client.get("/").status_code == 200
    _age(client, seen=29 * 60)
    assert client.get("/").status_code == 200  # 29 minutes: still there, and renewed
    _age(client, seen=31 * 60)
    answer = client.get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/compte/connexion/")
    assert "_auth_user_id" not in client.session


def test_a_participant_keeps_a_half_day_but_no_session_outlives_twelve_hours(members, client_as):
    client = client_as(members[Role.PARTICIPANT])
    space = f"/participer/{members[Role.PARTICIPANT].institution.slug}/mes-donnees/"
    assert client.get(space).status_code == 200
    _age(client, seen=2 * 3600)
    assert client.get(space).status_code == 200
    _age(client, login=12 * 3600 + 60, seen=10)
    assert client.get(space).status_code == 302
    assert "_auth_user_id" not in client.session

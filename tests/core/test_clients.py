"""Issue 26: the client's address behind a proxy, and sign-in locks no stranger can put on
everyone."""

import pytest
from django.urls import reverse

from sobrio.core.clients import SEEN_FORWARDED, client_address
from tests.factories import MembershipFactory

PROXY = "127.0.0.1"


def _request(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(rf, settings):
    from django.core.cache import cache

    settings.SOBRIO_TRUSTED_PROXIES = []
    assert client_address(_request(rf, "203.0.113.5", "198.51.100.1")) == "203.0.113.5"
    assert cache.get(SEEN_FORWARDED)  # `sobrio check --deploy` will say so
    settings.SOBRIO_TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]
    assert client_address(_request(rf, "203.0.113.5", "198.51.100.1")) == "203.0.113.5"
    assert client_address(_request(rf, PROXY, "198.51.100.1")) == "198.51.100.1"
    # what the client wrote on the left is not believed: the right-most untrusted hop is
    assert client_address(_request(rf, PROXY, "6.6.6.6, 198.51.100.1")) == "198.51.100.1"
    # two proxies of ours (a load balancer, then nginx)
    assert client_address(_request(rf, PROXY, "198.51.100.1, 10.1.2.3")) == "198.51.100.1"
    assert client_address(_request(rf, PROXY, "[2001:db8::1]:4711")) == "2001:db8::1"
    assert client_address(_request(rf, PROXY, "198.51.100.1:5000")) == "198.51.100.1"
    # garbage stops the walk at the last hop a trusted proxy vouched for
    assert client_address(_request(rf, PROXY, "198.51.100.1, nonsense")) == PROXY


def test_a_bad_trusted_proxy_setting_stops_start_up():
    from sobrio import env

    with pytest.raises(env.SettingError, match="neither an IP address nor a network"):
        env.env_networks("TRUSTED_PROXIES", environ={"SOBRIO_TRUSTED_PROXIES": "10.0.0.0/8, x"})
    given = {"SOBRIO_TRUSTED_PROXIES": "::1,10.0.0.0/8"}
    assert env.env_networks("TRUSTED_PROXIES", environ=given) == ["::1", "10.0.0.0/8"]


def _login(client, username, password, address):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_wrong_passwords_lock_the_account_from_that_address_only(db, client, settings):
    settings.SOBRIO_TRUSTED_PROXIES = [PROXY]
    owner = MembershipFactory().user
    owner.set_password("le-bon-mot-de-passe")
    owner.save()
    other = MembershipFactory().user
    other.set_password("un-autre-mot-de-passe")
    other.save()
    answers = [
        _login(client, owner.email, "faux", "198.51.100.66").status_code
        for _ in range(settings.SOBRIO_LOGIN_FAILURES_PER_ADDRESS)
    ]
    assert answers == [200] * (len(answers) - 1) + [429]  # the last failure locks
    locked = _login(client, owner.email, "le-bon-mot-de-passe", "198.51.100.66")
    assert locked.status_code == 429 and "Trop d'essais" in locked.content.decode()
    # the same proxy, other clients: the owner elsewhere, and another account from there
    assert _login(client, owner.email, "le-bon-mot-de-passe", "198.51.100.10").status_code == 302
    client.logout()
    assert _login(client, other.email, "un-autre-mot-de-passe", "198.51.100.66").status_code == 302


def test_a_spread_guessing_attack_locks_the_account_at_its_own_higher_limit(db, client, settings):
    from sobrio.core.logins import ACCOUNT_FAILURE_LIMIT

    settings.SOBRIO_TRUSTED_PROXIES = [PROXY]
    owner = MembershipFactory().user
    owner.set_password("le-bon-mot-de-passe")
    owner.save()
    per_address = settings.SOBRIO_LOGIN_FAILURES_PER_ADDRESS - 1  # never locked per address
    addresses = [f"198.51.100.{n}" for n in range(1, ACCOUNT_FAILURE_LIMIT // per_address + 2)]
    tried = 0
    for address in addresses:
        for _ in range(per_address):
            if tried < ACCOUNT_FAILURE_LIMIT:
                _login(client, owner.email, "faux", address)
                tried += 1
    assert ACCOUNT_FAILURE_LIMIT >= 4 * settings.SOBRIO_LOGIN_FAILURES_PER_ADDRESS
    locked = _login(client, owner.email, "le-bon-mot-de-passe", "192.0.2.200")
    assert locked.status_code == 429


def test_check_deploy_warns_when_a_proxy_forwards_but_none_is_trusted(rf, settings):
    from django.core.checks import run_checks

    settings.SOBRIO_TRUSTED_PROXIES = []
    ids = lambda: {m.id for m in run_checks(include_deployment_checks=True)}  # noqa: E731
    assert "sobrio.W001" not in ids()
    client_address(_request(rf, PROXY, "198.51.100.1"))
    assert "sobrio.W001" in ids()
    settings.SOBRIO_TRUSTED_PROXIES = [PROXY]
    assert "sobrio.W001" not in ids()

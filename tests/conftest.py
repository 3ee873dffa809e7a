import pytest

from sobrio.core.enums import Role
from tests.factories import InstitutionFactory, MembershipFactory, UnitFactory


@pytest.fixture(autouse=True)
def _fast_test_settings(settings, tmp_path):
    # Hashing passwords properly costs ~0.3 s each; tests create dozens of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Page tests in Django's client need no collected, hashed files; the browser tests
    # run the real server with the manifest storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Each test its own files and cache: database rows are rolled back between tests and
    # their ids reused, so nothing keyed by an id may outlive a test.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FOOTPRINT_BACKGROUND = False
    settings.PARTICIPANT_LINK_QUEUED = False  # the sign-in mail in the request, to read it
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }


@pytest.fixture
def institution(db):
    return InstitutionFactory(name="Université d'Essai", slug="essai")


@pytest.fixture
def members(institution):
    """One member per role in `institution`, keyed by role."""
    unit = UnitFactory(institution=institution, name="DSI")
    result = {}
    for role in Role:
        membership = MembershipFactory(institution=institution, role=role)
        if role == Role.CONTRIBUTOR:
            membership.units.set([unit])
        result[role] = membership
    return result


@pytest.fixture
def client_as(client):
    def login(membership):
        client.force_login(membership.user)
        return client

    return login


def _referentials_dir():
    import os
    from pathlib import Path

    candidates = [os.environ.get("REFERENTIALS_DIR", "")]
    root = Path(__file__).resolve().parent.parent
    candidates += [root.parent / "shared" / "referentials", "/work/shared/referentials"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "rgesn-2024").is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def official():
    """The official referentials, read where they are published for us (never copied here)."""
    path = _referentials_dir()
    if path is None:
        pytest.fail("official referentials not found: set REFERENTIALS_DIR to shared/referentials")
    return path

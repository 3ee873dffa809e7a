"""Start-up refuses bad settings; the `sobrio` command scripts a set-up end to end."""

import json
import os
import subprocess
import sys

import pytest

from sobrio import env


def run(args, tmp_path, extra_env=None, stdin=None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
    environ |= {"SOBRIO_VAR_DIR": str(tmp_path / "var"), **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sobrio", *args],
        env=environ, cwd=tmp_path, capture_output=True, text=True, input=stdin, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    "variable,value",
    [
        ("SOBRIO_DEBUG", "maybe"),
        ("SOBRIO_SECURE_COOKIES", "oui-ish"),
        ("SOBRIO_HSTS_SECONDS", "-5"),
        ("SOBRIO_DATABASE_URL", "mysql://x@y/z"),
        ("SOBRIO_EMAIL_URL", "pigeon://loft"),
        ("SOBRIO_LOG_LEVEL", "CHATTY"),
        ("SOBRIO_DEGUB", "true"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value):
    result = run(["check"], tmp_path, {variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_helpers_read_booleans_and_lists():
    assert env.env_bool("DEBUG", False, environ={"SOBRIO_DEBUG": "Yes"}) is True
    assert env.env_bool("DEBUG", True, environ={"SOBRIO_DEBUG": "0"}) is False
    assert env.env_bool("DEBUG", True, environ={}) is True
    hosts = env.env_list("ALLOWED_HOSTS", environ={"SOBRIO_ALLOWED_HOSTS": " a.fr, b.fr ,"})
    assert hosts == ["a.fr", "b.fr"]
    smtp = env.env_email({"SOBRIO_EMAIL_URL": "smtp+tls://u%40x:p@mail.example.org:2525"})
    assert smtp["EMAIL_HOST_USER"] == "u@x"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_USE_TLS"] is True


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    first = env.secret_key(tmp_path, environ={})
    assert len(first) >= 50
    assert env.secret_key(tmp_path, environ={}) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    production = {
        "SOBRIO_ALLOWED_HOSTS": "sobrio.univ.example",
        "SOBRIO_SSL_REDIRECT": "true",
        "SOBRIO_HSTS_SECONDS": "31536000",
        "SOBRIO_SECRET_KEY": "k" * 10 + "-production-secret-9f8e7d6c5b4a3210-zyxwvutsrq",
    }
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, production)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_an_operator_scripts_a_set_up(tmp_path):
    assert run(["migrate", "-v0"], tmp_path).returncode == 0
    created = run(["institution", "create", "univ-x", "--name", "Université X"], tmp_path)
    assert created.returncode == 0, created.stderr
    again = run(["institution", "create", "univ-x", "--name", "Doublon"], tmp_path)
    assert again.returncode != 0
    assert "already exists" in again.stderr
    added = run(
        ["user", "add", "Ada@Univ-X.fr", "--institution", "univ-x", "--role", "officer",
         "--password-stdin"],
        tmp_path, stdin="un-mot-de-passe-solide\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "ada@univ-x.fr\tuniv-x\tofficer\tcreated" in added.stdout
    wrong = run(["user", "add", "b@x.fr", "--institution", "nope", "--role", "viewer"], tmp_path)
    assert wrong.returncode != 0
    assert "No institution" in wrong.stderr
    listing = json.loads(run(["institution", "list", "--format", "json"], tmp_path).stdout)
    assert listing == [
        {
            "id": listing[0]["id"],
            "slug": "univ-x",
            "name": "Université X",
            "short_name": "",
            "country": "FRA",
            "national_identifier": "",
            "members": 1,
            "units": 0,
        }
    ]


def test_demo_is_idempotent_and_prints_one_login_per_role(tmp_path):
    first = run(["demo", "--no-serve"], tmp_path)
    assert first.returncode == 0, first.stderr
    for role_email in ("admin@", "referente@", "contributeur@", "lecture@", "etudiante@"):
        assert role_email in first.stdout
    assert "http://127.0.0.1:8000/" in first.stdout
    second = run(["demo", "--no-serve", "--port", "8123"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert "http://127.0.0.1:8123/" in second.stdout
    listing = json.loads(run(["institution", "list", "--format", "json"], tmp_path).stdout)
    demo = next(i for i in listing if i["slug"] == "demo")
    assert (demo["members"], demo["units"]) == (4, 13)
    assert [i["slug"] for i in listing].count("demo") == 1


def test_with_format_json_standard_output_holds_the_json_only(
    transactional_db, settings, capsys, tmp_path
):
    """Mail without a server goes to standard error, so `… --format json | jq` works for
    every command that prints JSON (the badge award sends its earner an email)."""
    from django.core.management import call_command

    from sobrio.learning.models import Quiz
    from tests.factories import (
        BadgeClassFactory,
        CleanupCampaignFactory,
        InstitutionFactory,
        MembershipFactory,
    )

    settings.EMAIL_BACKEND = env.env_email({})["EMAIL_BACKEND"]  # what console: gives
    settings.BASE_URL = "https://sobrio.example.org"
    space = InstitutionFactory(slug="univ")
    MembershipFactory(institution=space, user__email="admin@univ.fr", role="admin")
    BadgeClassFactory(institution=space, slug="fresque")
    campaign = CleanupCampaignFactory(institution=space)
    gift = tmp_path / "q.gift"
    gift.write_text("::Q1:: Le numérique pèse surtout à la fabrication {T}\n")
    commands = [
        ("badges", "award", "--institution", "univ", "--badge", "fresque",
         "--email", "ann@example.org"),
        ("badges", "list", "--institution", "univ"),
        ("institution", "list"),
        ("unit", "list", "--institution", "univ"),
        ("cleanup", "list", "--institution", "univ"),
        ("cleanup", "totals", str(campaign.pk)),
        ("quiz", "import", str(gift), "--institution", "univ", "--name", "Q"),
        ("reuse", "rate", "--institution", "univ", "--year", "2026"),
        ("footprint", "--institution", "univ", "--year", "2026"),
        ("referential", "list"),
        ("network", "benchmark", "reseau", "--figure", "reuse_rate", "--year", "2026"),
    ]  # fmt: skip
    call_command("network", "create", "reseau", "--name", "Réseau")
    for command in commands:
        capsys.readouterr()
        call_command(*command, "--format", "json")
        out, err = capsys.readouterr()
        json.loads(out)  # the whole of standard output, nothing before or after
        if command[0] == "badges" and command[1] == "award":
            assert "ann@example.org" in err  # the email was written, to standard error
    assert Quiz.objects.filter(institution=space).count() == 1


def test_a_scripted_command_loads_no_heavy_library_nor_every_view(tmp_path):
    """Issue 26: every `sobrio` call took about a second. A command that lists rows imports
    neither numpy, WeasyPrint, boaviztapi nor the URLs and their views (Django's system
    checks, which `sobrio check` still runs); benchmarks/cli_start.py measures the time."""
    assert run(["migrate", "-v0"], tmp_path).returncode == 0
    probe = (
        "import sys; from sobrio.cli import main; main(['institution', 'list']); "
        "heavy = ('numpy', 'weasyprint', 'boaviztapi', 'jwt', 'icalendar', 'sobrio.urls'); "
        "print('LOADED', [m for m in heavy if m in sys.modules])"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SOBRIO_")}
    environ |= {
        "SOBRIO_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "sobrio.settings",
    }
    done = subprocess.run([sys.executable, "-c", probe], env=environ, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout, done.stdout

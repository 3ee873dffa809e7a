"""The base of Sobrio's scripted commands (`sobrio institution`, `sobrio inventory`…)."""

from django.core.management.base import BaseCommand


class SobrioCommand(BaseCommand):
    """Skips Django's system checks: they import every URL, view and form (about a third of
    a second for each call of a script that runs hundreds), and check nothing a command of
    this kind relies on. `sobrio check --deploy`, `sobrio migrate` and the server run them."""

    requires_system_checks = []

"""The `sobrio` command: Sobrio's own commands, and any Django management command."""

import os
import sys


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sobrio.settings")

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading it loads and checks the settings
    except ImproperlyConfigured as error:
        print(f"sobrio: configuration error: {error}", file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    execute_from_command_line(["sobrio", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`ngo-platform`: the project's manage.py as a console script."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo_platform.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # The settings refuse to start unsafe (no NGO_SECRET_KEY without debug): say so in one line on stderr, not
    # in a traceback. With --settings, Django loads the module it names itself.
    if not any(arg == "--settings" or arg.startswith("--settings=") for arg in sys.argv[1:]):
        try:
            settings.INSTALLED_APPS  # noqa: B018 (loads the settings module)
        except ImproperlyConfigured as exc:
            sys.stderr.write(f"ngo-platform: {exc}\n")
            sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

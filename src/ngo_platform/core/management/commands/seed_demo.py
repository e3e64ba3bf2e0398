"""Create the demo: reference data, then each app's `demo.seed()` in INSTALLED_APPS order.

Idempotent: a second run creates nothing new. Later modules add their own `demo.py`.
"""

from importlib import import_module

from django.apps import apps
from django.core.management import BaseCommand, call_command

# As README.md writes it: run from the checkout, the virtualenv's console script (`make run` installs it there).
DEMO_TOTP_COMMAND = ".venv/bin/ngo-platform demo_totp"


class Command(BaseCommand):
    help = "Tworzy dane demonstracyjne (idempotentnie) i wypisuje konta demo."

    def handle(self, *args, **options):
        call_command("load_reference_data", stdout=self.stdout)
        accounts = []
        for config in apps.get_app_configs():
            if not config.name.startswith("ngo_platform."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            accounts.extend(module.seed() or [])
        self.stdout.write(self.style.SUCCESS("Dane demonstracyjne gotowe. Konta demo:"))
        for account in accounts:
            mfa = f" [kod TOTP: {DEMO_TOTP_COMMAND} {account.email}]" if account.totp else ""
            self.stdout.write(f"  {account.description}: {account.email} / {account.password}{mfa}")

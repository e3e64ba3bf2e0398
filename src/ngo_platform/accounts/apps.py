from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ngo_platform.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from ngo_platform.accounts import memberships

        memberships.connect()

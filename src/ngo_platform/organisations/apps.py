from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "ngo_platform.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from ngo_platform.core.desk import register
        from ngo_platform.organisations import desk

        register("organisations", desk.items)

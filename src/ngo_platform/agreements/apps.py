from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "ngo_platform.agreements"
    label = "agreements"
    verbose_name = _("Grant agreements and reports")

    def ready(self):
        from ngo_platform.agreements import desk
        from ngo_platform.core.desk import register

        register("agreements", desk.items)

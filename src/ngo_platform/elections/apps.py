from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "ngo_platform.elections"
    label = "elections"
    verbose_name = _("Council elections")

    def ready(self):
        from ngo_platform.core.desk import register
        from ngo_platform.elections import desk

        register("elections", desk.items)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "ngo_platform.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from ngo_platform.consultations import desk
        from ngo_platform.core.desk import register

        register("consultations", desk.items)

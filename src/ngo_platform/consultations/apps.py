from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "ngo_platform.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from ngo_platform.consultations import calendar, desk, notices, services
        from ngo_platform.core import calendar as events_calendar
        from ngo_platform.core.desk import register
        from ngo_platform.notifications import engine

        register("consultations", desk.items)
        events_calendar.register("consultations", calendar.entries)
        engine.register("consultations", notices.due, prepare=services.consultations_advance)

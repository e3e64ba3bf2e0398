from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "ngo_platform.competitions"
    label = "competitions"
    verbose_name = _("Open competitions for offers")

    def ready(self):
        from ngo_platform.competitions import calendar, desk
        from ngo_platform.core import calendar as events_calendar
        from ngo_platform.core.desk import register

        register("competitions", desk.items)
        events_calendar.register("competitions", calendar.entries)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    name = "ngo_platform.workgroups"
    label = "workgroups"
    verbose_name = _("Working groups")

    def ready(self):
        from ngo_platform.core import calendar
        from ngo_platform.workgroups import calendar as group_calendar

        calendar.register("workgroups", group_calendar.entries)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "ngo_platform.partnerships"
    label = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from ngo_platform.notifications import engine, followable
        from ngo_platform.partnerships import notices

        engine.register("partnerships", notices.due, prepare=notices.archive_expired)
        followable.register("partnerships.savedsearch", perm="partnerships.follow_saved_search")

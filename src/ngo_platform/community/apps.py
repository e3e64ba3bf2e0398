from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "ngo_platform.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self):
        from ngo_platform.community import desk
        from ngo_platform.core.desk import register

        register("community", desk.items)

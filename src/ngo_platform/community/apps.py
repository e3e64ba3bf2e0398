from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "ngo_platform.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self):
        from ngo_platform.community import desk, notices
        from ngo_platform.core.desk import register
        from ngo_platform.notifications import engine, followable

        register("community", desk.items)
        engine.register("community", notices.due)
        followable.register("community.idea", perm="community.follow_idea")

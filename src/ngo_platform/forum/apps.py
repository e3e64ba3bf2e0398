from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "ngo_platform.forum"
    label = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from ngo_platform.core.desk import register
        from ngo_platform.forum import desk, notices
        from ngo_platform.notifications import engine, followable

        register("forum", desk.items)
        engine.register("forum", notices.due)
        followable.register("forum.thread", perm="forum.view_thread")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "ngo_platform.forum"
    label = "forum"
    verbose_name = _("Forum")

    def ready(self):
        from ngo_platform.core.desk import register
        from ngo_platform.forum import desk

        register("forum", desk.items)

"""The community's pages, by subject: news (`news`), events (`events`), ideas and needs (`ideas`)."""

from ngo_platform.community.views.events import (  # noqa: F401
    event_calendar,
    event_create,
    event_detail,
    event_edit,
    event_list,
    event_month,
    event_register,
    event_registrations,
    event_step,
    event_unregister,
)
from ngo_platform.community.views.ideas import (  # noqa: F401
    idea_answer,
    idea_create,
    idea_detail,
    idea_export,
    idea_list,
    idea_support,
)
from ngo_platform.community.views.news import (  # noqa: F401
    news_attach,
    news_attachment,
    news_create,
    news_detach,
    news_detail,
    news_edit,
    news_image,
    news_list,
    news_step,
)

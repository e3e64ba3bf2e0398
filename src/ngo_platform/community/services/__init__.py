"""Every write of the community, by subject: news (`news`), events with their registrations (`events`), ideas and
needs with their supports and official answers (`ideas`)."""

from ngo_platform.community.services.events import (  # noqa: F401
    event_create,
    event_update,
    registration_cancel,
    registration_create,
)
from ngo_platform.community.services.ideas import idea_answer, idea_submit, idea_support  # noqa: F401
from ngo_platform.community.services.news import (  # noqa: F401
    news_attach,
    news_attachment_remove,
    news_create,
    news_update,
)

"""The community: news from organisations, authorities and the platform; events with their registrations.

A news item is written on behalf of one party: an organisation (by its representatives), an authority (by its
officers) or the platform (by its administrators), never two; its course is draft → published → archived
(`community.workflows.NEWS`). The body is Markdown, rendered through `core.markdown` (no raw HTML ever reaches a
page); the lead image is re-encoded by `core.images` and always has its alternative text.
"""

from ngo_platform.community.models.events import (  # noqa: F401
    PUBLIC_EVENT_STATES,
    Event,
    EventRegistration,
    EventState,
    RegistrationMode,
    RegistrationState,
)
from ngo_platform.community.models.ideas import Idea, IdeaAnswer, IdeaKind, IdeaState, IdeaSupport  # noqa: F401
from ngo_platform.community.models.news import (  # noqa: F401
    PUBLIC_NEWS_STATES,
    AuthorKind,
    News,
    NewsAttachment,
    NewsAttachmentType,
    NewsState,
)

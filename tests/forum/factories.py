"""Forum categories, threads and posts made through the services, as the application makes them."""

from datetime import timedelta

from django.utils import timezone

from ngo_platform.forum import services
from ngo_platform.forum.models import Category
from tests.accounts.factories import UserFactory


def make_category(*, slug="ogolne", audience="public", moderators=(), name=None) -> Category:
    category = Category.objects.create(name=name or f"Kategoria {slug}", slug=slug, audience=audience)
    category.moderators.set(moderators)
    return category


def established(**fields):
    """A person whose account is older than the forum's new-account days (`NGO_FORUM_NEW_ACCOUNT_DAYS`)."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=60), **fields)


def make_thread(category=None, *, author=None, title="Jak rozliczyć wkład osobowy?", body="Pytanie o wkład.", **kw):
    category = category or Category.objects.get_or_create(slug="ogolne", defaults={"name": "Ogólne"})[0]
    return services.thread_start(actor=author or established(), category=category, title=title, body=body, **kw)


def opening(thread):
    return thread.posts.get(is_opening=True)


def pending_post(category=None):
    """A new account's thread whose opening post has a link: it waits for a moderator."""
    category = category or Category.objects.get_or_create(slug="ogloszenia", defaults={"name": "Ogłoszenia"})[0]
    return opening(make_thread(category, author=UserFactory(), body="Tanie kredyty: https://spam.example/"))

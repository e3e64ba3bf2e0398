"""The sitemap (`/sitemap.xml`, an index of one sitemap per kind of page), robots.txt and favicon.ico.

Only public pages are listed, each kind chosen by the same test its page applies: consultations past their draft
(`PUBLIC_STATES`), competitions past their draft, elections past their draft and every council, organisations
listed in the directory, small grants published for comments, every authority. Each section reads one query of
the few columns its addresses need (and one count), whatever the number of rows.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ngo_platform.competitions import selectors as competition_selectors
from ngo_platform.consultations.models import PUBLIC_STATES, Consultation
from ngo_platform.elections import selectors as election_selectors
from ngo_platform.elections.models import Council
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority


class PagesSitemap(Sitemap):
    """The home page, the lists and the platform's own pages."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "core:home",
            "organisations:directory",
            "territory:authority_list",
            "consultations:list",
            "competitions:list",
            "competitions:small_grants",
            "elections:list",
            "community:news_list",
            "community:event_list",
            "core:about",
            "core:accessibility",
            "core:privacy",
        ]

    def location(self, item):
        return reverse(item)


class _Objects(Sitemap):
    """The public objects (the pages' own selectors where they have one), only the columns `get_absolute_url` (and
    `lastmod`) need, no joins, in a stable order."""

    fields: tuple[str, ...] = ("pk",)

    def public(self):
        raise NotImplementedError

    def items(self):
        return self.public().select_related(None).only(*self.fields).order_by("pk")

    def get_latest_lastmod(self):
        """For the index: one aggregate, not every row read (Django's default reads them all)."""
        if "updated_at" not in self.fields:
            return None
        return self.public().order_by().aggregate(latest=Max("updated_at"))["latest"]


class ConsultationsSitemap(_Objects):
    changefreq = "daily"

    def public(self):
        return Consultation.objects.filter(state__in=PUBLIC_STATES)


class CompetitionsSitemap(_Objects):
    changefreq = "daily"
    fields = ("pk", "slug", "updated_at")

    def public(self):
        return competition_selectors.public_competitions()

    def lastmod(self, competition):
        return competition.updated_at


class SmallGrantsSitemap(_Objects):
    changefreq = "daily"

    def public(self):
        return competition_selectors.public_small_grants()

    def location(self, offer):
        return reverse("competitions:small_grant", kwargs={"pk": offer.pk})


class ElectionsSitemap(_Objects):
    changefreq = "daily"
    fields = ("pk", "slug")

    def public(self):
        return election_selectors.public_elections()


class CouncilsSitemap(_Objects):
    changefreq = "weekly"
    fields = ("pk", "slug")

    def public(self):
        return Council.objects.all()


class OrganisationsSitemap(_Objects):
    changefreq = "weekly"
    fields = ("pk", "slug", "updated_at")

    def public(self):
        return Organisation.objects.filter(is_listed=True)

    def lastmod(self, organisation):
        return organisation.updated_at


class AuthoritiesSitemap(_Objects):
    changefreq = "weekly"
    fields = ("pk", "slug")

    def public(self):
        return Authority.objects.all()


class NewsSitemap(_Objects):
    changefreq = "weekly"
    fields = ("pk", "updated_at")

    def public(self):
        from ngo_platform.community.models import PUBLIC_NEWS_STATES, News

        return News.objects.filter(state__in=PUBLIC_NEWS_STATES)

    def lastmod(self, news):
        return news.updated_at


class EventsSitemap(_Objects):
    changefreq = "daily"
    fields = ("pk", "updated_at")

    def public(self):
        from ngo_platform.community.models import PUBLIC_EVENT_STATES, Event

        return Event.objects.filter(state__in=PUBLIC_EVENT_STATES)

    def lastmod(self, event):
        return event.updated_at


SITEMAPS = {
    "strony": PagesSitemap,
    "samorzady": AuthoritiesSitemap,
    "organizacje": OrganisationsSitemap,
    "konsultacje": ConsultationsSitemap,
    "konkursy": CompetitionsSitemap,
    "male-granty": SmallGrantsSitemap,
    "wybory": ElectionsSitemap,
    "rady": CouncilsSitemap,
    "aktualnosci": NewsSitemap,
    "wydarzenia": EventsSitemap,
}


# Not for robots: accounts, administration, the audit log, and the pages and actions of organisations and offices
# (each needs signing in; listing them only sends crawlers to login redirects and refusals).
DISALLOWED = (
    "/konto/",
    "/admin/",
    "/audyt/",
    "/umowy/",
    "/i18n/",
    "/wyswietlanie/",
    "/organizacje/import/",
    "/organizacje/weryfikacja/",
    "/organizacje/zarejestruj/",
    "/organizacje/wniosek/",
    "/organizacje/zaproszenie/",
    "/organizacje/eksport",
    "/organizacje/*/reprezentuj/",
    "/organizacje/*/czlonkowie/",
    "/organizacje/*/edytuj/",
    "/konsultacje/urzad/",
    "/konsultacje/obserwowane/",
    "/konsultacje/nowa/",
    "/konsultacje/uwaga/",
    "/konsultacje/*/edytuj/",
    "/konsultacje/*/nowa-uwaga/",
    "/konsultacje/*/odpowiedzi/",
    "/konkursy/nowy/",
    "/konkursy/moje-oferty/",
    "/konkursy/oferty/",
    "/konkursy/partnerstwa/",
    "/konkursy/male-granty/nowa-oferta/",
    "/konkursy/male-granty/pula/",
    "/konkursy/*/edycja/",
    "/konkursy/*/oferta/",
    "/konkursy/*/ocena-formalna/",
    "/konkursy/*/komisja/",
    "/konkursy/*/ocena/",
    "/wybory/nowe/",
    "/wybory/rady/nowa/",
    "/wybory/zgoda/",
    "/wybory/*/glosuj/",
    "/wybory/*/zglos/",
    "/wybory/*/protest/",
    "/wybory/*/komisja/",
)


@require_GET
@cache_control(max_age=24 * 3600, public=True)
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=24 * 3600, public=True)
def favicon(request):
    """Browsers and crawlers ask /favicon.ico whatever the page says: the platform's SVG icon."""
    return redirect(static("core/img/favicon.svg"))

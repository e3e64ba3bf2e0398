"""Search of organisations. (Interim version: the Polish full-text search replaces it.)

Interface used by the rest of the app:
- `index_organisations(organisations)`: write/refresh their SearchEntry rows (services call it).
- `apply_search(queryset, q)`: filter an Organisation queryset by the query and order it by rank.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from ngo_platform.core.text import fold
from ngo_platform.organisations.models import Organisation, SearchEntry


def index_organisations(organisations: Iterable[Organisation]) -> None:
    for organisation in organisations:
        SearchEntry.objects.update_or_create(
            organisation=organisation,
            defaults={
                "name_terms": fold(organisation.name),
                "body_terms": fold(organisation.description),
                "name_folded": fold(organisation.name),
                "identifiers": " ".join(filter(None, [organisation.krs, organisation.nip, organisation.regon])),
            },
        )


def apply_search(queryset: QuerySet[Organisation], q: str) -> QuerySet[Organisation]:
    return queryset.filter(search_entry__name_folded__contains=fold(q))

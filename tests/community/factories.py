"""News made through the services, as the application makes them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ngo_platform.community import services
from ngo_platform.community.selectors import Party
from ngo_platform.community.workflows import NEWS
from ngo_platform.core.workflow import perform
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory, UserFactory


def party_of(organisation=None, authority=None) -> Party:
    if organisation is not None:
        return Party(f"organisation:{organisation.pk}", organisation.name, organisation=organisation)
    if authority is not None:
        return Party(f"authority:{authority.pk}", authority.name, authority=authority)
    return Party("platform", "platform")


def writer_for(organisation=None, authority=None):
    """A person who may write for the party: an editor of the organisation, an officer of the authority, or a
    platform administrator."""
    if organisation is not None:
        return OrganisationMembershipFactory(organisation=organisation, role="editor").user
    if authority is not None:
        return AuthorityMembershipFactory(authority=authority).user
    return UserFactory(is_staff=True)


def make_news(
    *, organisation=None, authority=None, author=None, state="published", title="Aktualność", spheres=(), **data
):
    author = author or writer_for(organisation, authority)
    fields = {
        "title": title,
        "lead": data.pop("lead", "Krótko o tym, co się wydarzyło."),
        "body": data.pop("body", "Treść **aktualności**."),
        "image_alt": data.pop("image_alt", ""),
        "spheres": list(spheres),
        **data,
    }
    news = services.news_create(actor=author, party=party_of(organisation, authority), data=fields)
    if state in ("published", "archived"):
        perform(NEWS, news, "publish", actor=author)
    if state == "archived":
        perform(NEWS, news, "archive", actor=author)
    return news


def png_upload(width=300, height=200, name="zdjecie.png") -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(output, format="PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


def event_data(**overrides) -> dict:
    """A valid event's data as the form cleans it: a week from today at 10:00 (Europe/Warsaw), two hours, at a place
    in Brzeg. A fixed hour, so that at any time of the day the event stays within one day of the calendar."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from ngo_platform.territory.models import TerritorialUnit

    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7), time(10)))
    data = {
        "title": "Szkolenie",
        "description": "Opis **szkolenia**.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "all_day": False,
        "place": "ul. Robotnicza 12, Brzeg",
        "gmina": TerritorialUnit.objects.get(teryt="1601011"),
        "online_url": "",
        "accessibility": "Wejście bez progów.",
        "registration": "none",
        "registration_url": "",
        "capacity": None,
    }
    return {**data, **overrides}


def make_event(*, organisation=None, authority=None, author=None, state="published", **overrides):
    from ngo_platform.community.workflows import EVENT

    author = author or writer_for(organisation, authority)
    event = services.event_create(actor=author, party=party_of(organisation, authority), data=event_data(**overrides))
    if state in ("published", "cancelled"):
        perform(EVENT, event, "publish", actor=author)
    if state == "cancelled":
        perform(EVENT, event, "cancel", actor=author)
    return event


def make_idea(*, author=None, authority=None, organisation=None, title="Ławki w parku", **data):
    from ngo_platform.community.services import idea_submit

    fields = {"kind": "idea", "title": title, "description": "Opis pomysłu.", "authority": authority, **data}
    return idea_submit(actor=author or UserFactory(), data=fields, organisation=organisation)

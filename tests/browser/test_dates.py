"""Dates survive a save (issue 13, Deliver 5): the organisation's edit form, opened in a real browser with its
founding and OPP dates stored, saved after changing only the telephone, keeps every other value as it was (the date
pickers were filled as "01.03.2006", which they cannot show, so the save wiped both dates)."""

import datetime

from django.forms.models import model_to_dict
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.organisations.models import Organisation
from tests.accounts.factories import OrganisationMembershipFactory
from tests.browser.helpers import log_in


def test_saving_the_organisation_after_changing_the_phone_keeps_its_dates(page, live_server, assert_accessible):
    founded = timezone.localdate() - datetime.timedelta(days=20 * 365)
    membership = OrganisationMembershipFactory(role=OrganisationRole.ADMIN)
    Organisation.objects.filter(pk=membership.organisation_id).update(
        founded_on=founded, is_opp=True, opp_since=founded + datetime.timedelta(days=900), phone="77 111 11 11"
    )
    organisation = Organisation.objects.get(pk=membership.organisation_id)
    before = model_to_dict(organisation, exclude=["id", "logo"])
    log_in(page, membership.user.email)
    page.goto(f"/organizacje/{organisation.slug}/edytuj/")
    assert page.locator("#id_founded_on").input_value() == founded.isoformat()
    assert_accessible(page)
    page.locator("#id_phone").fill("77 222 22 22")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{organisation.get_absolute_url()}")
    after = model_to_dict(Organisation.objects.get(pk=organisation.pk), exclude=["id", "logo"])
    assert after.pop("phone") == "77 222 22 22"
    before.pop("phone")
    assert {name: value for name, value in after.items() if before[name] != value} == {}

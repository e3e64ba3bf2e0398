from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.consultations.models import Consultation
from ngo_platform.workgroups.models import DocumentVersion, VersionComment, WorkingGroup

pytestmark = pytest.mark.django_db


def test_the_demo_group_has_two_versions_comments_minutes_and_a_consultation_idempotently(reference_data, client):
    call_command("seed_demo", stdout=StringIO())
    group = WorkingGroup.objects.get()
    first, second = DocumentVersion.objects.order_by("number")
    assert (first.number, second.number, second.state, second.base) == (1, 2, "accepted", first)
    assert second.document.current == second and VersionComment.objects.filter(version=second).count() == 2
    consultation = second.consultation
    assert consultation.state == "draft" and consultation.prepared_by == group.name
    assert list(consultation.units.values_list("citation", "text").order_by("position")) == list(
        second.units.values_list("citation", "text").order_by("position")
    )
    meeting = group.meetings.exclude(minutes="").get()
    assert meeting.minutes.read().startswith(b"%PDF")
    compare = client.get(f"/zespoly/dokumenty/{second.document.pk}/porownanie/?od=1&do=2").content.decode()
    assert "[+</span>21" in compare and "[−</span>14" in compare
    call_command("seed_demo", stdout=StringIO())
    assert (WorkingGroup.objects.count(), DocumentVersion.objects.count(), Consultation.objects.count()) == (1, 2, 3)

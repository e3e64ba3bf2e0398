from io import StringIO

import pytest
from django.core.management import call_command

from ngo_platform.consultations.models import Comment, Consultation

pytestmark = pytest.mark.django_db


def test_demo_adds_an_open_and_an_answered_consultation_idempotently(
    reference_data, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the report is rendered by the worker
        call_command("seed_demo", stdout=StringIO())
    open_one = Consultation.objects.get(state="open")
    answered = Consultation.objects.get(state="answered")
    assert open_one.kind == "program_roczny"
    assert Comment.objects.filter(consultation=open_one).values("organisation").distinct().count() >= 3
    assert answered.report_pdf and answered.report_docx
    call_command("seed_demo", stdout=StringIO())
    assert Consultation.objects.count() == 3  # and the draft the demo working group sent (tests/workgroups)
    assert client.get(f"/konsultacje/{answered.pk}/raport.pdf").status_code == 200

"""A comment's texts are bounded (issue 13: a 57,000-character proposal with a 65,000-character justification was
accepted, and the report PDF ran to 82 pages): the form, the service and the database refuse a longer text, with
a message next to the field, and nothing is stored."""

import pytest
from django.db import IntegrityError, transaction

from ngo_platform.consultations import services
from ngo_platform.consultations.models import COMMENT_LIMITS, Comment, DraftUnit
from ngo_platform.consultations.workflows import ConsultationError
from tests.consultations.factories import close, make_consultation, officer_of, representative_of

pytestmark = pytest.mark.django_db


def _post(client, consultation, organisation, **texts):
    data = {"unit": "calosc", "on_behalf": str(organisation.pk), "current_wording": "", "proposed_wording": "x"}
    return client.post(f"/konsultacje/{consultation.pk}/nowa-uwaga/", {**data, "justification": "Lepiej", **texts})


def test_a_sixty_thousand_character_comment_is_refused_next_to_the_field_and_nothing_stored(client, opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    client.force_login(person)
    text = ("Uzasadnienie. " * 4_300).strip()
    assert len(text) > 60_000
    response = _post(client, consultation, organisation, justification=text)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_justification_error"' in html
    assert f"Najwyżej 5000 znaków (ten tekst ma {len(text)}): skróć go.</li>" in html
    assert not Comment.objects.exists()
    # The limit is said before typing, and the browser knows it too.
    page = client.get(f"/konsultacje/{consultation.pk}/nowa-uwaga/").content.decode()
    assert "Najwyżej 5000 znaków." in page and 'maxlength="5000"' in page


@pytest.mark.parametrize("field", ["current_wording", "proposed_wording", "justification"])
def test_the_service_refuses_each_text_one_character_over_and_takes_it_at_the_limit(opolskie, field):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    texts = {"current_wording": "", "proposed_wording": "", "justification": "Lepiej"}
    limit = COMMENT_LIMITS[field]
    with pytest.raises(ConsultationError) as refused:
        services.comment_submit(
            actor=person,
            consultation=consultation,
            unit=None,
            organisation=organisation,
            **{**texts, field: "a" * (limit + 1)},
        )
    assert refused.value.field == field and not Comment.objects.exists()
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, **{**texts, field: "a" * limit}
    )
    assert len(getattr(comment, field)) == limit
    # Changing it later is bounded the same way; the stored text stays.
    with pytest.raises(ConsultationError):
        services.comment_update(actor=person, comment=comment, **{**texts, field: "b" * (limit + 1)})
    comment.refresh_from_db()
    assert getattr(comment, field) == "a" * limit


def test_the_database_refuses_a_longer_text_written_around_the_services(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, justification="Lepiej"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(justification="x" * (COMMENT_LIMITS["justification"] + 1))


def test_a_long_units_wording_is_cited_from_its_beginning_within_the_limit(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    unit = DraftUnit.objects.filter(consultation=consultation, citation="§ 1").get()
    DraftUnit.objects.filter(pk=unit.pk).update(text="Długi przepis. " * 1_000)  # 15,000 characters
    unit.refresh_from_db()
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=unit, organisation=organisation, justification="Za długi"
    )
    assert len(comment.current_wording) <= COMMENT_LIMITS["current_wording"]
    assert comment.current_wording.startswith("§ 1. Długi przepis.") and comment.current_wording.endswith("…")


def test_the_authoritys_answer_is_bounded_too(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, justification="Lepiej"
    )
    officer = officer_of(opolskie)
    consultation = close(consultation, officer)
    with pytest.raises(ConsultationError) as refused:
        services.comments_answer(
            actor=officer,
            consultation=consultation,
            comment_ids=[comment.pk],
            position="rejected",
            justification="Nie. " * 1_100,
        )
    assert refused.value.field == "justification"
    comment.refresh_from_db()
    assert comment.answer_position == ""

"""The pages of consultations: officers prepare, participants comment, the public reads; with SQL budgets."""

import io
import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ngo_platform.consultations import services
from ngo_platform.consultations.models import Comment, Consultation, DraftUnit
from ngo_platform.notifications import services as follow_services
from tests.accounts.factories import UserFactory
from tests.consultations.factories import close, make_consultation, officer_of, representative_of
from tests.dates import typeable
from tests.helpers import get_page, third_party_urls

pytestmark = pytest.mark.django_db


def as_officer(client, authority):
    officer = officer_of(authority)
    TOTP.activate(officer, "JBSWY3DPEHPK3PXP")
    client.force_login(officer)
    return officer


def comment(consultation, person, organisation, unit=None, text="Uzasadnienie"):
    return services.comment_submit(
        actor=person,
        consultation=consultation,
        unit=unit,
        organisation=organisation,
        proposed_wording="Nowe brzmienie",
        justification=text,
    )


# --- Public pages ---


def test_list_shows_public_consultations_soonest_closing_first_with_filters(client, opolskie, gmina_brzeg):
    later = make_consultation(opolskie, title="Program na 2027")
    Consultation.objects.filter(pk=later.pk).update(ends_at=timezone.now() + timedelta(days=20))
    sooner = make_consultation(gmina_brzeg, title="Uchwała gminy Brzeg")
    make_consultation(opolskie, state="draft", title="Szkic niewidoczny")
    html = get_page(client, "/konsultacje/", max_queries=8).content.decode()
    assert html.index("Uchwała gminy Brzeg") < html.index("Program na 2027")
    assert "Szkic niewidoczny" not in html
    assert third_party_urls(html) == []
    html = get_page(client, "/konsultacje/?powiat=1601", max_queries=8).content.decode()
    assert "Uchwała gminy Brzeg" in html and "Program na 2027" not in html
    html = get_page(client, f"/konsultacje/?organ={opolskie.slug}&stan=open", max_queries=8).content.decode()
    assert "Program na 2027" in html and "Uchwała gminy Brzeg" not in html
    assert sooner.pk


def test_consultation_page_query_count_does_not_depend_on_comments_or_units(client, opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    units = list(DraftUnit.objects.filter(consultation=consultation))
    comment(consultation, person, organisation, units[1])
    url = f"/konsultacje/{consultation.pk}/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for unit in units:
        for _ in range(3):
            comment(consultation, person, organisation, unit)
    with CaptureQueriesContext(connection) as many:
        response = get_page(client, url, max_queries=8)
    assert len(few) == len(many)
    html = response.content.decode()
    assert "3 uwagi do § 2" in html or "uwagi do § 2" in html
    client.force_login(person)
    get_page(client, url, max_queries=14)


def test_draft_consultation_is_not_public(client, opolskie):
    consultation = make_consultation(opolskie, state="draft")
    get_page(client, f"/konsultacje/{consultation.pk}/", max_queries=5, status=404)
    as_officer(client, opolskie)
    get_page(client, f"/konsultacje/{consultation.pk}/", max_queries=20)


def test_comments_published_with_the_report_are_hidden_until_then(client, opolskie):
    consultation = make_consultation(opolskie, comment_visibility="with_report")
    person, organisation = representative_of()
    comment(consultation, person, organisation, text="Tajne do raportu")
    get_page(client, f"/konsultacje/{consultation.pk}/uwagi/", max_queries=5, status=404)
    assert "Tajne do raportu" not in client.get(f"/konsultacje/{consultation.pk}/").content.decode()


# --- Officers ---


def test_officer_creates_imports_corrects_and_publishes(client, opolskie):
    officer = as_officer(client, opolskie)
    start = typeable(timezone.now() + timedelta(minutes=5))  # a time the form accepts, even the night the clocks change
    response = client.post(
        f"/konsultacje/nowa/{opolskie.slug}/",
        {
            "title": "Projekt uchwały",
            "subject": "Temat",
            "kind": "projekt_uchwaly",
            "legal_basis": "",
            "responsible_person": "Jan",
            "contact": "jan@example.pl",
            "mode": "pisemny",
            "comment_visibility": "immediate",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": typeable(start + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200 and "co najmniej 14" in response.content.decode()
    response = client.post(
        f"/konsultacje/nowa/{opolskie.slug}/",
        {
            "title": "Projekt uchwały",
            "subject": "Temat",
            "kind": "projekt_uchwaly",
            "legal_basis": "",
            "responsible_person": "Jan",
            "contact": "jan@example.pl",
            "mode": "pisemny",
            "comment_visibility": "immediate",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": typeable(start + timedelta(days=15)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    consultation = Consultation.objects.get(title="Projekt uchwały")
    assert response.status_code == 302 and consultation.created_by == officer
    assert consultation.starts_at == start.replace(second=0, microsecond=0)
    response = client.post(
        f"/konsultacje/{consultation.pk}/projekt/", {"text": "§ 1. Uchwała wchodzi w życie po 14 dniach."}
    )
    assert response.status_code == 302 and DraftUnit.objects.filter(consultation=consultation).exists()
    get_page(client, f"/konsultacje/{consultation.pk}/projekt/", max_queries=20)
    unit = DraftUnit.objects.filter(consultation=consultation).first()
    get_page(client, f"/konsultacje/{consultation.pk}/projekt/{unit.pk}/", max_queries=20)
    client.post(
        f"/konsultacje/{consultation.pk}/projekt/{unit.pk}/",
        {"action": "relabel", "relabel-label": "7", "relabel-title": "", "relabel-text": unit.text},
    )
    assert DraftUnit.objects.get(pk=unit.pk).label == "7"
    client.post(f"/konsultacje/{consultation.pk}/stan/publikuj/")
    assert Consultation.objects.get(pk=consultation.pk).state == "scheduled"
    client.post(f"/konsultacje/{consultation.pk}/stan/otworz/")
    assert Consultation.objects.get(pk=consultation.pk).state == "scheduled"  # the start has not come


def test_attachments_are_checked_by_content(client, opolskie):
    consultation = make_consultation(opolskie, state="draft")
    as_officer(client, opolskie)
    fake = SimpleUploadedFile("projekt.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        f"/konsultacje/{consultation.pk}/pliki/",
        {"form": "attachment", "attachment-title": "Projekt", "attachment-file": fake},
    )
    assert response.status_code == 200 and "nie jest dokumentem" in response.content.decode()
    real = SimpleUploadedFile("projekt.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/konsultacje/{consultation.pk}/pliki/",
        {"form": "attachment", "attachment-title": "Projekt", "attachment-file": real},
    )
    assert response.status_code == 302 and consultation.attachments.count() == 1
    attachment = consultation.attachments.get()
    assert client.get(f"/konsultacje/{consultation.pk}/zalacznik/{attachment.pk}/").status_code == 200


def test_officer_pages_are_refused_to_others(client, opolskie, gmina_brzeg):
    consultation = make_consultation(opolskie, state="draft")
    for url in (f"/konsultacje/{consultation.pk}/projekt/", f"/konsultacje/{consultation.pk}/edytuj/"):
        assert client.get(url).status_code == 404  # a draft is not even visible
    open_one = make_consultation(opolskie)
    assert client.get(f"/konsultacje/{open_one.pk}/odpowiedzi/").status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(f"/konsultacje/{open_one.pk}/odpowiedzi/").status_code == 403
    assert client.get(f"/konsultacje/nowa/{opolskie.slug}/").status_code == 403
    as_officer(client, gmina_brzeg)
    assert client.get(f"/konsultacje/{open_one.pk}/odpowiedzi/").status_code == 403
    assert client.post(f"/konsultacje/{open_one.pk}/stan/zamknij/").status_code == 403


# --- Commenting ---


def test_representative_comments_through_the_form(client, opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    client.force_login(person)
    unit = DraftUnit.objects.get(consultation=consultation, citation="§ 1")
    html = get_page(
        client, f"/konsultacje/{consultation.pk}/nowa-uwaga/?jednostka={unit.pk}", max_queries=16
    ).content.decode()
    assert "Program określa zasady współpracy" in html  # current wording filled in
    response = client.post(
        f"/konsultacje/{consultation.pk}/nowa-uwaga/",
        {
            "unit": str(unit.pk),
            "on_behalf": str(organisation.pk),
            "current_wording": "",
            "proposed_wording": "Inaczej",
            "justification": "Lepiej",
        },
    )
    assert response.status_code == 302
    saved = Comment.objects.get()
    assert saved.organisation == organisation and saved.unit == unit
    html = client.get(f"/konsultacje/{consultation.pk}/").content.decode()
    assert organisation.name in html


def test_late_comment_through_the_form_is_refused_with_a_message_and_nothing_stored(client, opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    client.force_login(person)
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=timezone.now() - timedelta(days=15), ends_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(
        f"/konsultacje/{consultation.pk}/nowa-uwaga/",
        {
            "unit": "calosc",
            "on_behalf": str(organisation.pk),
            "current_wording": "",
            "proposed_wording": "x",
            "justification": "x",
        },
    )
    assert response.status_code == 200
    assert "Konsultacje zamknięto" in response.content.decode()
    assert not Comment.objects.exists()


def test_cannot_comment_on_behalf_of_someone_elses_organisation_through_the_form(client, opolskie):
    consultation = make_consultation(opolskie)
    person, _organisation = representative_of()
    _other_person, other = representative_of()
    client.force_login(person)
    response = client.post(
        f"/konsultacje/{consultation.pk}/nowa-uwaga/",
        {
            "unit": "calosc",
            "on_behalf": str(other.pk),
            "current_wording": "",
            "proposed_wording": "x",
            "justification": "x",
        },
    )
    assert response.status_code == 200 and not Comment.objects.exists()


def test_resident_without_organisation_cannot_comment_unless_allowed(client, opolskie):
    consultation = make_consultation(opolskie)
    client.force_login(UserFactory())
    assert client.get(f"/konsultacje/{consultation.pk}/nowa-uwaga/").status_code == 403
    allowed = make_consultation(opolskie, open_to_residents=True)
    response = client.post(
        f"/konsultacje/{allowed.pk}/nowa-uwaga/",
        {
            "unit": "calosc",
            "on_behalf": "mieszkaniec",
            "current_wording": "",
            "proposed_wording": "",
            "justification": "Moja uwaga",
        },
    )
    assert response.status_code == 302 and Comment.objects.get().author_type == "resident"


def test_edit_and_withdraw_pages_after_the_deadline_refuse(client, opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    saved = comment(consultation, person, organisation)
    client.force_login(person)
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=timezone.now() - timedelta(days=15), ends_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(
        f"/konsultacje/uwaga/{saved.pk}/edytuj/", {"current_wording": "", "proposed_wording": "y", "justification": "y"}
    )
    assert response.status_code == 200 and "Konsultacje zamknięto" in response.content.decode()
    response = client.post(f"/konsultacje/uwaga/{saved.pk}/wycofaj/")
    assert response.status_code == 200 and "Konsultacje zamknięto" in response.content.decode()
    saved.refresh_from_db()
    assert saved.justification == "Uzasadnienie" and saved.state == "submitted"
    client.force_login(UserFactory())
    assert client.get(f"/konsultacje/uwaga/{saved.pk}/edytuj/").status_code == 403


# --- Answers, report, adopted text ---


def test_answer_publish_and_download_the_report(client, opolskie, django_capture_on_commit_callbacks):
    import docx
    from pypdf import PdfReader

    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer)
    person, organisation = representative_of()
    first = comment(
        consultation,
        person,
        organisation,
        DraftUnit.objects.get(consultation=consultation, citation="§ 1"),
        "Zbyt ogólne",
    )
    second = comment(consultation, person, organisation, None, "Brak harmonogramu")
    close(consultation, officer)
    TOTP.activate(officer, "JBSWY3DPEHPK3PXP")
    client.force_login(officer)
    get_page(client, f"/konsultacje/{consultation.pk}/odpowiedzi/", max_queries=16)
    response = client.post(
        f"/konsultacje/{consultation.pk}/odpowiedzi/",
        {"comments": [str(first.pk)], "position": "rejected", "justification": ""},
    )
    assert response.status_code == 200 and "Podaj powód" in response.content.decode()
    client.post(
        f"/konsultacje/{consultation.pk}/odpowiedzi/",
        {"comments": [str(first.pk)], "position": "rejected", "justification": "Zapis jest wystarczający"},
    )
    response = client.post(f"/konsultacje/{consultation.pk}/raport/", follow=True)
    assert "liczba uwag bez odpowiedzi: 1" in response.content.decode()
    assert Consultation.objects.get(pk=consultation.pk).state == "closed"
    client.post(
        f"/konsultacje/{consultation.pk}/odpowiedzi/",
        {"comments": [str(second.pk)], "position": "accepted", "justification": ""},
    )
    asked = client.post(f"/konsultacje/{consultation.pk}/raport/").content.decode()  # the page that asks first
    assert "nie można wycofać ani zmienić" in asked and Consultation.objects.get(pk=consultation.pk).state == "closed"
    with django_capture_on_commit_callbacks() as rendering:
        client.post(f"/konsultacje/{consultation.pk}/raport/", {"confirmed": "1"})
    consultation.refresh_from_db()
    assert consultation.state == "answered"
    client.logout()
    waiting = get_page(client, f"/konsultacje/{consultation.pk}/", max_queries=8).content.decode()
    assert "data-refresh-url" in waiting and "raport.pdf" not in waiting
    assert client.get(f"/konsultacje/{consultation.pk}/raport.pdf").status_code == 404
    for callback in rendering:  # the worker renders the files
        callback()
    html = get_page(client, f"/konsultacje/{consultation.pk}/", max_queries=8).content.decode()
    assert "Raport (PDF)" in html
    pdf = b"".join(client.get(f"/konsultacje/{consultation.pk}/raport.pdf").streaming_content)
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert (
        "Informacja o wynikach konsultacji" in text and organisation.name in text and "Zapis jest wystarczający" in text
    )
    assert "nieuwzględniona" in text or "nie uwzględniono" in text.lower()
    data = b"".join(client.get(f"/konsultacje/{consultation.pk}/raport.docx").streaming_content)
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Zbyt ogólne" in cells and "§ 1" in cells and "Zapis jest wystarczający" in cells
    assert "całość dokumentu" in cells


def test_final_version_shows_word_level_changes(client, opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer)
    close(consultation, officer)
    TOTP.activate(officer, "JBSWY3DPEHPK3PXP")
    client.force_login(officer)
    from ngo_platform.core import drafting
    from tests.consultations.factories import draft_tree

    root = draft_tree()
    root.children[0].children[0].text = "Program określa zasady dobrej współpracy z organizacjami pozarządowymi."
    services.final_version_attach(actor=officer, consultation=consultation, root=root, text="…", note="Uchwała nr 1")
    client.logout()
    html = get_page(client, f"/konsultacje/{consultation.pk}/zmiany/", max_queries=6).content.decode()
    assert "[+</span>dobrej" in html and "zmieniona" in html.lower() or "zmieniono" in html.lower()
    assert drafting


# --- Feeds, calendar, follows ---


def test_feeds_and_calendar(client, opolskie):
    consultation = make_consultation(
        opolskie,
        title="Program, współpracy; na rok 2027 z bardzo długim tytułem który trzeba będzie złamać w pliku iCal",
    )
    rss = get_page(client, "/konsultacje/rss/", max_queries=6).content.decode()
    assert "<rss" in rss and "Program, współpracy" in rss
    atom = get_page(client, "/konsultacje/atom/", max_queries=6).content.decode()
    assert "http://www.w3.org/2005/Atom" in atom
    response = get_page(client, "/konsultacje/kalendarz.ics", max_queries=6)
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "Program\\, współpracy\\;" in body.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert f"UID:konsultacja-{consultation.pk}@" in body


def test_feeds_and_calendar_keep_the_lists_filters(client, opolskie, gmina_brzeg):
    make_consultation(opolskie, title="Program województwa")
    make_consultation(gmina_brzeg, title="Program gminy Brzeg")
    for url in ("/konsultacje/rss/", "/konsultacje/atom/", "/konsultacje/kalendarz.ics"):
        body = get_page(client, f"{url}?organ={gmina_brzeg.slug}", max_queries=6).content.decode()
        assert "Program gminy Brzeg" in body and "Program województwa" not in body, url
        body = get_page(client, f"{url}?powiat=1601", max_queries=6).content.decode()
        assert "Program gminy Brzeg" in body and "Program województwa" not in body, url


def test_the_page_of_a_consultation_whose_start_came_shows_it_open(client, opolskie):
    consultation = make_consultation(opolskie, state="scheduled")
    Consultation.objects.filter(pk=consultation.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    get_page(client, f"/konsultacje/{consultation.pk}/", max_queries=20)
    assert Consultation.objects.get(pk=consultation.pk).state == "open"


def test_follow_and_notify_once(client, opolskie, gmina_brzeg):
    follower = UserFactory()
    digest_person = UserFactory()
    opted_out = UserFactory()
    client.force_login(follower)
    response = client.post("/konto/obserwowane/", {"form": "follow", "unit": str(gmina_brzeg.unit.parent.pk)})
    assert response.status_code == 302
    follow_services.follow_add(actor=digest_person, authority=gmina_brzeg)
    follow_services.preference_set(actor=digest_person, email_enabled=True, daily_digest=True)
    follow_services.follow_add(actor=opted_out, authority=gmina_brzeg)
    follow_services.preference_set(actor=opted_out, email_enabled=False, daily_digest=False)
    make_consultation(gmina_brzeg, title="Uchwała o współpracy")
    make_consultation(opolskie, title="Nie dla obserwujących Brzeg")
    from django.core.management import call_command

    mail.outbox.clear()
    call_command("notify", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "Uchwała o współpracy" in mail.outbox[0].subject
    call_command("notify", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # nothing new
    call_command("notify", "--digest", stdout=io.StringIO())
    assert [m.to for m in mail.outbox[1:]] == [[digest_person.email]]
    call_command("notify", "--digest", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    get_page(client, "/konto/obserwowane/", max_queries=16)


def test_closing_soon_and_report_published_events(opolskie):
    from django.core.management import call_command

    follower = UserFactory()
    follow_services.follow_add(actor=follower, authority=opolskie)
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer)
    call_command("notify", stdout=io.StringIO())
    Consultation.objects.filter(pk=consultation.pk).update(ends_at=timezone.now() + timedelta(days=1))
    call_command("notify", stdout=io.StringIO())
    close(consultation, officer)
    services.report_publish(actor=officer, consultation=Consultation.objects.get(pk=consultation.pk))
    call_command("notify", stdout=io.StringIO())
    subjects = [m.subject for m in mail.outbox if m.to == [follower.email]]
    assert len(subjects) == 3 and re.search("dwa dni|2 dni", subjects[1].lower())


def test_a_new_follower_gets_no_news_of_old_events_but_still_the_deadline(opolskie):
    from django.core.management import call_command

    officer = officer_of(opolskie)
    old = make_consultation(opolskie, officer=officer, title="Stara konsultacja")
    close(old, officer)
    services.report_publish(actor=officer, consultation=Consultation.objects.get(pk=old.pk))
    ending = make_consultation(opolskie, officer=officer, title="Kończy się jutro")
    Consultation.objects.filter(pk=ending.pk).update(ends_at=timezone.now() + timedelta(days=1))
    follower = UserFactory()
    follow_services.follow_add(actor=follower, authority=opolskie)
    mail.outbox.clear()
    call_command("notify", stdout=io.StringIO())
    subjects = [m.subject for m in mail.outbox if m.to == [follower.email]]
    assert len(subjects) == 1 and "Kończy się jutro" in subjects[0]
    assert not any("Stara konsultacja" in subject for subject in subjects)

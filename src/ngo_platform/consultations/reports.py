"""The report of a consultation (informacja o wynikach konsultacji), as PDF and DOCX.

`report_data` reads everything once (three queries); the renderers do not touch the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _

from ngo_platform.consultations.models import AnswerPosition, AuthorType, Comment, CommentState, Consultation
from ngo_platform.core.documents import docx_bytes, docx_table, new_docx, render_pdf
from ngo_platform.core.text import local_time


def _date(moment) -> str:
    return local_time(moment, "j E Y, H:i")


def report_rows(consultation: Consultation) -> list[dict]:
    comments = (
        Comment.objects.filter(consultation=consultation, state=CommentState.SUBMITTED)
        .select_related("unit", "organisation", "author")
        .order_by(F("unit__position").asc(nulls_first=True), "created_at", "id")
    )
    rows = []
    for number, comment in enumerate(comments, start=1):
        rows.append(
            {
                "number": number,
                "unit": comment.unit_citation or _("the whole document"),
                "current": comment.current_wording,
                "proposed": comment.proposed_wording,
                "justification": comment.justification,
                "author": comment.organisation.name
                if comment.organisation_id
                else (comment.author.display_name or _("resident")),
                "author_type": comment.get_author_type_display(),
                "position": comment.get_answer_position_display(),
                "reason": comment.answer_justification,
            }
        )
    return rows


def report_data(consultation: Consultation) -> dict:
    rows = report_rows(consultation)
    submitted = Comment.objects.filter(consultation=consultation, state=CommentState.SUBMITTED)
    organisations = submitted.filter(author_type=AuthorType.ORGANISATION).values("organisation").distinct().count()
    residents = submitted.filter(author_type=AuthorType.RESIDENT).values("author").distinct().count()
    positions = dict.fromkeys(AnswerPosition.values, 0)
    for position in submitted.values_list("answer_position", flat=True):
        if position in positions:
            positions[position] += 1
    return {
        "consultation": consultation,
        "title": _("Information on the results of the consultation"),
        "act": consultation.title,
        "kind": consultation.get_kind_display(),
        "authority": consultation.authority.name,
        "subject": consultation.subject,
        "legal_basis": consultation.legal_basis,
        "mode": consultation.get_mode_display(),
        "meetings": [f"{_date(m.starts_at)}, {m.place}" for m in consultation.meetings.all()],
        "starts_at": _date(consultation.starts_at),
        "ends_at": _date(consultation.ends_at),
        "published_at": _date(consultation.report_published_at),
        "responsible_person": consultation.responsible_person,
        "prepared_by": _prepared_by(consultation),
        "counts": [
            (_("Organisations (NGOs and art. 3 ust. 3 entities)"), organisations),
            (_("Residents"), residents),
            (_("Comments"), len(rows)),
        ],
        "positions": [(AnswerPosition(value).label, count) for value, count in positions.items()],
        "rows": rows,
        "header": [
            _("No."),
            _("Part of the document"),
            _("Proposed change"),
            _("Justification"),
            _("Author or organisation"),
            _("Position"),
            _("Reason for the position"),
        ],
    }


def _prepared_by(consultation: Consultation) -> str:
    """Who prepared the draft, with the address of their page (a working group), or nothing."""
    if not consultation.prepared_by:
        return ""
    if not consultation.prepared_by_url:
        return consultation.prepared_by
    return f"{consultation.prepared_by} ({settings.NGO_SITE_URL}{consultation.prepared_by_url})"


def report_pdf(data: dict) -> bytes:
    return render_pdf("consultations/documents/report.html", data)


def report_docx(data: dict) -> bytes:
    document = new_docx(data["title"])
    document.add_paragraph(data["act"]).runs[0].bold = True
    facts = [
        (_("Kind of document"), data["kind"]),
        (_("Authority"), data["authority"]),
        (_("Subject"), data["subject"]),
        (_("Legal basis"), data["legal_basis"]),
        (_("Period"), f"{data['starts_at']} – {data['ends_at']}"),
        (_("Mode"), data["mode"]),
        (_("Responsible person"), data["responsible_person"]),
        (_("Prepared by"), data["prepared_by"]),
        (_("Report published"), data["published_at"]),
    ]
    for label, value in facts:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(str(value))
    for meeting in data["meetings"]:
        document.add_paragraph(meeting, style="List Bullet")
    document.add_heading(_("Participants"), level=2)
    docx_table(document, [_("Participants"), _("Number")], data["counts"])
    document.add_heading(_("Positions of the authority"), level=2)
    docx_table(document, [_("Position"), _("Number")], data["positions"])
    document.add_heading(_("Comments and answers"), level=2)
    if data["rows"]:
        docx_table(
            document,
            data["header"],
            (
                [
                    r["number"],
                    r["unit"],
                    r["proposed"],
                    r["justification"],
                    f"{r['author']} ({r['author_type']})",
                    r["position"],
                    r["reason"],
                ]
                for r in data["rows"]
            ),
        )
    else:
        document.add_paragraph(_("No comments were submitted."))
    return docx_bytes(document)

"""After the end: answering the comments, the report (published and downloaded), the adopted text and its changes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo_platform.consultations import selectors, services
from ngo_platform.consultations.forms import AnswerForm, FinalVersionForm
from ngo_platform.consultations.services import ConsultationError
from ngo_platform.consultations.views.common import managed_consultation, viewed_consultation
from ngo_platform.consultations.workflows import CONSULTATION
from ngo_platform.core.confirmation import ask_before
from ngo_platform.core.documents import DOCX_TYPE, PDF_TYPE
from ngo_platform.core.drafting import units as unitlib


def answers(request, pk):
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    show_all = request.GET.get("wszystkie") == "1"
    groups = selectors.answer_groups(consultation=consultation, only_unanswered=not show_all)
    page = Paginator(groups, 25).get_page(request.GET.get("strona"))
    choices = [(str(c.pk), str(c.pk)) for group in page.object_list for c in group]
    if request.method == "POST":
        choices = [(value, value) for value in request.POST.getlist("comments")]
    form = AnswerForm(request.POST or None, comment_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.comments_answer(
                actor=request.user,
                consultation=consultation,
                comment_ids=[int(v) for v in form.cleaned_data["comments"]],
                position=form.cleaned_data["position"],
                justification=form.cleaned_data["justification"],
            )
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("Answer saved for %(count)s comment(s).") % {"count": count})
            return redirect(request.get_full_path())
    answered, total = selectors.answer_progress(consultation)
    return render(
        request,
        "consultations/answers.html",
        {
            "consultation": consultation,
            "page": page,
            "form": form,
            "answered": answered,
            "total": total,
            "show_all": show_all,
            "selected": set(request.POST.getlist("comments")),
            "query": "wszystkie=1" if show_all else "",
        },
    )


@require_POST
def report_publish(request, pk):
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    page = ask_before(
        request,
        CONSULTATION,
        "publish_report",
        consultation,
        title=_("Publish the report of the consultation “%(title)s”?") % {"title": consultation.title},
        consequences=[
            _("The report with every comment and its answer becomes public at once, as a page, PDF and DOCX."),
            _("The people following the consultation are told."),
        ],
        button=_("Yes, publish the report"),
        cancel_url=reverse("consultations:answers", args=[consultation.pk]),
    )
    if page is not None:
        return page
    try:
        services.report_publish(actor=request.user, consultation=consultation)
    except ConsultationError as error:
        messages.error(request, str(error))
        return redirect("consultations:answers", pk=pk)
    messages.success(request, _("The report has been published."))
    return redirect(consultation)


def report_download(request, pk, fmt):
    consultation = viewed_consultation(pk, request)
    if not consultation.report_published:
        raise Http404
    field = {"pdf": consultation.report_pdf, "docx": consultation.report_docx}.get(fmt)
    if not field:
        raise Http404
    content_type = PDF_TYPE if fmt == "pdf" else DOCX_TYPE
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"raport-konsultacji-{consultation.pk}.{fmt}",
        content_type=content_type,
    )


def final_version(request, pk):
    consultation, response = managed_consultation(pk, request)
    if response is not None:
        return response
    form = FinalVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.final_version_attach(
                actor=request.user,
                consultation=consultation,
                root=form.cleaned_data["root"],
                text=form.cleaned_data["plain"],
                note=form.cleaned_data["note"],
            )
        except ConsultationError as error:
            error.attach_to(form)
        else:
            messages.success(request, _("The adopted text has been attached."))
            return redirect("consultations:changes", pk=pk)
    return render(request, "consultations/final.html", {"consultation": consultation, "form": form})


def changes(request, pk):
    consultation = viewed_consultation(pk, request)
    if not consultation.final_attached_at:
        raise Http404
    rows = selectors.changes(consultation)
    summary = unitlib.summary(rows)
    return render(
        request, "consultations/changes.html", {"consultation": consultation, "rows": rows, "summary": summary}
    )

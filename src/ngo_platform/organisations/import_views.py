"""Pages of the import of organisations: the upload form and the status of a run (platform admins only)."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from ngo_platform.core.documents import file_response
from ngo_platform.core.permissions import refusal
from ngo_platform.organisations.importing import (
    ACCEPTED_EXTENSIONS,
    COLUMNS,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    import_run_create,
    refused_csv,
    table_read,
)
from ngo_platform.organisations.models import ImportRun, ImportState, Organisation

PERMISSION = "organisations.import_organisations"
RECENT_RUNS = 10
TO_COMPLETE_PAGE = 50
FILE_ERRORS = {
    "format": _("This format is not supported: save the sheet as XLSX or CSV."),
    "encoding": _("The file could not be read as CSV text: save it as CSV in UTF-8 (or Windows-1250), or as XLSX."),
    "xlsx": _("The file could not be opened as an XLSX workbook: save it again as XLSX or CSV."),
    "empty": _("The file is empty: its first row must hold the column headings (e.g. nazwa, gmina)."),
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File with organisations"),
        help_text=_(
            "CSV (UTF-8 or Windows-1250, separated by semicolons or commas) or XLSX, at most 20 MB. "
            "The first row holds the column headings."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check the file and count the changes, save nothing"), required=False)
    strict = forms.BooleanField(
        label=_("All or nothing: if any row has a problem, save nothing"),
        help_text=_(
            "Without it, the sound rows are imported, rows without a seat or legal form are marked to complete, "
            "and the rows that would make data wrong come back as a CSV file to correct."
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED_EXTENSIONS:
            raise ValidationError(_("Choose a CSV or XLSX file."), code="extension")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 20 MB: split it into smaller files."), code="size")
        try:
            table_read(upload, name=upload.name, header_only=True)
        except ImportFileError as error:
            raise ValidationError(FILE_ERRORS.get(error.code, FILE_ERRORS["format"]), code=error.code) from error
        upload.seek(0)
        return upload


def import_upload(request):
    if (response := refusal(request, PERMISSION)) is not None:
        return response
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        run = import_run_create(
            actor=request.user,
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            strict=form.cleaned_data["strict"],
        )
        return redirect("organisations_import:status", pk=run.pk)
    recent = ImportRun.objects.select_related("created_by").order_by("-created_at", "-pk")[:RECENT_RUNS]
    columns = {key: aliases[0] for key, aliases in COLUMNS.items()}
    return render(
        request,
        "organisations/import/upload.html",
        {"form": form, "recent": recent, "columns": columns},
    )


def import_status(request, pk: int):
    if (response := refusal(request, PERMISSION)) is not None:
        return response
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)
    in_progress = run.state in (ImportState.QUEUED, ImportState.RUNNING)
    errors = [item for item in run.report if item.get("level") != "warning"]
    warnings = [item for item in run.report if item.get("level") == "warning"]
    percent = round(100 * run.processed_rows / run.total_rows) if run.total_rows else 0
    return render(
        request,
        "organisations/import/status.html",
        {
            "run": run,
            "in_progress": in_progress,
            "saving": run.state == ImportState.RUNNING and run.total_rows and run.processed_rows >= run.total_rows,
            "percent": percent,
            "errors": errors,
            "warnings": warnings,
        },
    )


def import_refused(request, pk: int):
    """The refused rows of a run as CSV, with the reason per row, ready to correct and import again."""
    if (response := refusal(request, PERMISSION)) is not None:
        return response
    run = get_object_or_404(ImportRun, pk=pk)
    if not run.refused_count:
        raise Http404
    return file_response(refused_csv(run).encode("utf-8"), f"odrzucone-{run.pk}.csv", "text/csv; charset=utf-8")


def to_complete(request):
    """The organisations an import could not complete (no seat or legal form), with the reasons: the list the
    administrators work through (the organisations' own admins see theirs on the profile)."""
    if (response := refusal(request, PERMISSION)) is not None:
        return response
    organisations = Organisation.objects.exclude(to_complete={}).select_related("seat").order_by("name", "pk")
    page = Paginator(organisations, TO_COMPLETE_PAGE).get_page(request.GET.get("strona"))
    return render(request, "organisations/import/to_complete.html", {"page": page})

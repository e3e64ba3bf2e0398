"""Background tasks of the organisations app (Django tasks API; `ngo-platform db_worker` runs them)."""

from django_tasks import task

from ngo_platform.organisations.models import DirectoryExport, ExportState, ImportRun, ImportState


@task()
def organisations_import_run(run_id: int) -> str:
    """Import the uploaded file of a queued ImportRun; return the run's final state.

    A run that is no longer queued (already taken by another worker, or finished) is left alone.
    """
    from ngo_platform.organisations.importing import import_run_execute

    claimed = ImportRun.objects.filter(pk=run_id, state=ImportState.QUEUED).update(state=ImportState.RUNNING)
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    if not claimed:
        return run.state
    run = import_run_execute(run=run, actor=run.created_by)
    return run.state


@task()
def directory_export_build(export_id: int) -> str:
    """Build the XLSX file of a queued DirectoryExport; return its final state. Claimed once: a
    second worker given the same export leaves it alone."""
    from ngo_platform.organisations.services import directory_export_build as build

    claimed = DirectoryExport.objects.filter(pk=export_id, state=ExportState.QUEUED).update(state=ExportState.RUNNING)
    export = DirectoryExport.objects.get(pk=export_id)
    if not claimed:
        return export.state
    return build(export=export).state

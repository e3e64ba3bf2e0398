"""Background tasks of the organisations app (Django tasks API; `ngo-platform db_worker` runs them)."""

from django_tasks import task

from ngo_platform.organisations.models import ImportRun, ImportState


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

"""Background tasks of the consultations app (Django tasks API; `ngo-platform db_worker` runs them)."""

from django_tasks import task


@task()
def consultation_report_render(consultation_id: int) -> bool:
    """Render the published report of a consultation as PDF and DOCX (a report of thousands of comments
    takes a minute or more, so not while the officer waits). True when this call stored the files."""
    # Imported here, not at the top: a real cycle (`services.answers` imports this module to enqueue the task).
    from ngo_platform.consultations.services import report_render

    return report_render(consultation_id=consultation_id)

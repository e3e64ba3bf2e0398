"""Background tasks of the core app (Django tasks API; `ngo-platform db_worker` runs them)."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def email_send(*, subject: str, body: str, from_email: str, to: list[str], alternatives: list[list[str]]) -> int:
    """Send one rendered e-mail. Queued by services inside their transaction, so a change that
    rolls back sends nothing, and a slow mail server never holds up a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message.send()


def email_enqueue(message: EmailMultiAlternatives) -> None:
    email_send.enqueue(
        subject=str(message.subject),
        body=message.body,
        from_email=message.from_email,
        to=list(message.to),
        alternatives=[[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
    )

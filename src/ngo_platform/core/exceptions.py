"""The one error base of the services.

A service refuses a step by raising a `ServiceError` (or a module's subclass of it, named after the module:
`ConsultationError`, `CompetitionError`…). The message is for the person (Polish through gettext); `field` names
the form field it belongs next to; `problems` lists every reason when there are several (each with its own
`field` and `message`). Views show it with `attach_to(form)`; nothing has been saved when it is raised.
"""

from collections.abc import Iterable


class ServiceError(Exception):
    def __init__(self, message: str, field: str | None = None, problems: Iterable = ()):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.problems = list(problems)

    def attach_to(self, form) -> None:
        """The message next to its field when the form has it, above the form otherwise."""
        form.add_error(self.field if self.field in form.fields else None, self.message)

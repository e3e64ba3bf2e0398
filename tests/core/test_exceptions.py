"""One error base: every service's refusal is a `core.exceptions.ServiceError`, shown next to its field."""

import importlib
import inspect
import pkgutil

from django import forms

import ngo_platform
from ngo_platform.core.exceptions import ServiceError


def _error_classes():
    for module_info in pkgutil.walk_packages(ngo_platform.__path__, "ngo_platform."):
        if ".migrations" in module_info.name or module_info.name.endswith(("__main__", "wsgi", "asgi")):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and issubclass(value, Exception):
                yield name, value


def test_every_error_class_of_the_project_is_a_service_error():
    classes = dict(_error_classes())
    assert {"ConsultationError", "CompetitionError", "AgreementError", "ElectionError", "VerificationError"} <= set(
        classes
    )
    # Not refusals for a person: a programming error and a module-private control-flow signal.
    not_refusals = {"AuditLogIsAppendOnly"}
    others = [n for n, c in classes.items() if not issubclass(c, ServiceError) and not n.startswith("_")]
    assert others == sorted(not_refusals)


class _Form(forms.Form):
    name = forms.CharField()


def test_the_message_goes_next_to_its_field_or_above_the_form():
    form = _Form(data={"name": "x"})
    form.is_valid()
    ServiceError("Zła nazwa", field="name").attach_to(form)
    ServiceError("Nie teraz", field="no_such_field").attach_to(form)
    assert form.errors == {"name": ["Zła nazwa"], "__all__": ["Nie teraz"]}


def test_problems_and_field_are_kept():
    error = ServiceError("Dwa problemy", problems=("a", "b"))
    assert (str(error), error.message, error.field, error.problems) == (
        "Dwa problemy",
        "Dwa problemy",
        None,
        ["a", "b"],
    )

"""Writes of agreements, updated cost calculations and reports, by subject. Every change runs in one transaction,
locks the agreement row, reads the server's clock (Europe/Warsaw) at that moment, goes through the declared
transition tables of `workflows`, is recorded in the agreement's history (what the organisation sees) and audited
(`details`: competition, offer, agreement; money as old → new amounts)."""

from ngo_platform.agreements.services.agreements import (
    AGREEMENT_FIELDS,
    agreement_create,
    agreement_problems,
    agreement_reopen,
    agreement_send,
    agreement_sign,
    agreement_terminate,
    agreement_update,
)
from ngo_platform.agreements.services.common import MONEY_FIELDS
from ngo_platform.agreements.services.cost_updates import (
    cost_update_decide,
    cost_update_problems,
    cost_update_save,
    cost_update_start,
    cost_update_submit,
)
from ngo_platform.agreements.services.reminders import reminders_send
from ngo_platform.agreements.services.reports import (
    REPORT_FIELDS,
    planned_costs,
    report_decide,
    report_problems,
    report_save,
    report_start,
    report_submit,
)
from ngo_platform.agreements.workflows import AgreementError, Incomplete, Problem

__all__ = [
    "AGREEMENT_FIELDS",
    "MONEY_FIELDS",
    "REPORT_FIELDS",
    "AgreementError",
    "Incomplete",
    "Problem",
    "agreement_create",
    "agreement_update",
    "agreement_problems",
    "agreement_send",
    "agreement_reopen",
    "agreement_sign",
    "agreement_terminate",
    "cost_update_start",
    "cost_update_save",
    "cost_update_problems",
    "cost_update_submit",
    "cost_update_decide",
    "planned_costs",
    "report_start",
    "report_save",
    "report_problems",
    "report_submit",
    "report_decide",
    "reminders_send",
]

"""Open competitions for offers (otwarty konkurs ofert, art. 11–19a UDPP; domain.md §A4–A6, §B).

An authority (JST) announces a competition; organisations prepare offers in the official template
(Dz.U. 2018 poz. 2057, zał. 1), alone or jointly, and submit them before the deadline; each submission
is frozen as a canonical JSON document with its SHA-256 and a receipt.

The stages of a competition, an offer, a call to complete and a partner's confirmation are declared once in
`workflows` and changed only by `core.workflow.perform`. What the law may change (the 21
days of art. 13, the criteria of art. 15, the limits of art. 19a) is versioned reference data
(`LegalParameters`), with the documented defaults in `DEFAULTS` used when no row exists.

Money is integer grosze everywhere (`*_grosze` is implied by the helpers in `money.py`); shares are
basis points (1050 = 10,5%).

The models live in modules by subject: `announcement` (the competition, its versions, criteria and the
statutory parameters), `offers` (the offer and its rows), `formal_check` (checklist, marks, calls to
complete), `commission` (members, recusals, scores) and `small_grants` (the yearly pool, comments). Every
name is importable from here, which is also where Django finds the models of the app.
"""

from ngo_platform.competitions.models.announcement import (
    DEFAULTS,
    AnnulmentGround,
    Competition,
    CompetitionMode,
    CompetitionState,
    CompetitionVersion,
    EvaluationCriterion,
    LegalParameters,
    OfferTemplate,
    TaskForm,
)
from ngo_platform.competitions.models.commission import (
    CommissionMember,
    CommissionRole,
    Recusal,
    Score,
)
from ngo_platform.competitions.models.formal_check import (
    CALL_PARTS,
    DEFAULT_FORMAL_CHECKLIST,
    CallState,
    CompletionCall,
    FormalCheckItem,
    FormalMark,
)
from ngo_platform.competitions.models.offers import (
    CostCategory,
    CostLine,
    Offer,
    OfferAction,
    OfferAttachment,
    OfferPartner,
    OfferResult,
    OfferState,
    OfferSubmission,
    PaidActivity,
    PartnerState,
    TaxArrears,
)
from ngo_platform.competitions.models.small_grants import OfferComment, SmallGrantPool

__all__ = [
    "CALL_PARTS",
    "DEFAULTS",
    "DEFAULT_FORMAL_CHECKLIST",
    "AnnulmentGround",
    "CallState",
    "CommissionMember",
    "CommissionRole",
    "Competition",
    "CompetitionMode",
    "CompetitionState",
    "CompetitionVersion",
    "CompletionCall",
    "CostCategory",
    "CostLine",
    "EvaluationCriterion",
    "FormalCheckItem",
    "FormalMark",
    "LegalParameters",
    "Offer",
    "OfferAction",
    "OfferAttachment",
    "OfferComment",
    "OfferPartner",
    "OfferResult",
    "OfferState",
    "OfferSubmission",
    "OfferTemplate",
    "PaidActivity",
    "PartnerState",
    "Recusal",
    "Score",
    "SmallGrantPool",
    "TaskForm",
    "TaxArrears",
]

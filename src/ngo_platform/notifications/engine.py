"""One mechanism that e-mails people what happened to what they follow, for every module.

The engine knows no module. Each app contributes a source in `<app>/notices.py`

    def due(now: datetime) -> Iterable[Notice]

registered once in the app's `AppConfig.ready()` with `engine.register("<app>", due)`, and optionally a
`prepare()` that first brings the app's items up to date with the clock (consultations open and close on time).
`due` yields every notice that is
true now (a consultation open, a news item published in the last `NEWS_FOR`, a reply in a thread). A notice says
whom it concerns: followers of its authority, of a territory containing its `teryt`, of one of its spheres, or of
its `target` item. The engine finds them in one read of the follows and sends each (person, item, event) once:

- a person gets no news of what happened before they followed (a deadline still reaches them);
- at once (one e-mail per notice) or, for those who chose it, in one daily digest (`send(digest=True)`);
- only people with something pending get anything;
- recorded in `NotificationSent` in the same transaction that queues the person's e-mails (the database task
  backend), person by person, so a run killed halfway or run twice at once sends nothing twice: a second run
  skips what the first recorded, and the unique constraint stops a race.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ngo_platform.accounts import memberships
from ngo_platform.core.services import email_notify
from ngo_platform.notifications.models import Follow, NotificationPreference, NotificationSent

# What was published is announced to followers for this long after it happened, no longer.
NEWS_FOR = timedelta(days=30)

# People are e-mailed in batches of this many: one read of their accounts per batch.
BATCH = 500

NOTICE_TEMPLATE = "notifications/email/notice"
DIGEST_TEMPLATE = "notifications/email/digest"


@dataclass(frozen=True)
class Notice:
    """Something that happened to an item, for the item's followers.

    `item` names the item for the record ("forum.post:12"), `event` what happened ("reply"); `kind` is the
    person's words for it ("New reply in a thread you follow"); `teryt` the territory it concerns; `target` the
    followed item it belongs to, as (app_label.model, pk); `deadline` notices reach even those who followed after
    `happened_at`; `exclude` are the people told otherwise (the author); `perm` a rule every recipient must pass
    for `obj` (a members-only forum), asked once per person and `target` (so it must answer alike for every notice
    of one target). `template` is the e-mail sent at once (with `context`)."""

    item: str
    event: str
    kind: str
    title: str
    url: str
    happened_at: datetime
    detail: str = ""
    authority_id: int | None = None
    teryt: str = ""
    sphere_ids: tuple[int, ...] = ()
    target: tuple[str, int] | None = None
    deadline: bool = False
    exclude: frozenset[int] = frozenset()
    perm: str = ""
    obj: object = field(default=None, compare=False)
    template: str = NOTICE_TEMPLATE
    context: dict = field(default_factory=dict, compare=False)


Source = Callable[[datetime], Iterable[Notice]]
_sources: dict[str, Source] = {}
_preparations: dict[str, Callable[[], object]] = {}


def register(name: str, due: Source, *, prepare: Callable[[], object] | None = None) -> None:
    _sources[name] = due
    if prepare is not None:
        _preparations[name] = prepare


def prepare() -> None:
    for name in sorted(_preparations):
        _preparations[name]()


def due_notices(now: datetime | None = None) -> list[Notice]:
    now = now or timezone.now()
    return [notice for name in sorted(_sources) for notice in _sources[name](now)]


def content_type(label: str) -> ContentType:
    return ContentType.objects.get_by_natural_key(*label.split("."))


class Followers:
    """All follows read once, indexed by subject: who follows what since when."""

    def __init__(self, targets: Iterable[tuple[str, int]] = ()):
        """The subjects' follows, and of the items' follows only those of `targets` (the notices' items)."""
        self.by_authority: dict[int, dict[int, datetime]] = defaultdict(dict)
        self.by_teryt: dict[str, dict[int, datetime]] = defaultdict(dict)
        self.by_sphere: dict[int, dict[int, datetime]] = defaultdict(dict)
        self.by_target: dict[tuple[int, int], dict[int, datetime]] = defaultdict(dict)
        wanted = Q(target_type__isnull=True)
        ids_by_label: dict[str, set[int]] = defaultdict(set)
        for label, pk in targets:
            ids_by_label[label].add(pk)
        for label, ids in ids_by_label.items():
            wanted |= Q(target_type=content_type(label), target_id__in=ids)
        rows = Follow.objects.filter(wanted).values_list(
            "user_id", "authority_id", "unit__teryt", "sphere_id", "target_type_id", "target_id", "created_at"
        )
        for user_id, authority_id, teryt, sphere_id, type_id, target_id, since in rows.iterator(chunk_size=5000):
            if authority_id:
                index = self.by_authority[authority_id]
            elif teryt:
                index = self.by_teryt[teryt]
            elif sphere_id:
                index = self.by_sphere[sphere_id]
            else:
                index = self.by_target[(type_id, target_id)]
            index[user_id] = since

    def of(self, notice: Notice) -> dict[int, datetime]:
        """user id → when they began following it (their earliest matching follow)."""
        indexes = []
        if notice.authority_id:
            indexes.append(self.by_authority.get(notice.authority_id, {}))
        teryt = notice.teryt
        indexes += [self.by_teryt.get(teryt[:n], {}) for n in (2, 4, 7) if len(teryt) >= n]
        indexes += [self.by_sphere.get(pk, {}) for pk in notice.sphere_ids]
        if notice.target:
            label, pk = notice.target
            indexes.append(self.by_target.get((content_type(label).pk, pk), {}))
        since: dict[int, datetime] = {}
        for index in indexes:
            for user_id, created_at in index.items():
                since[user_id] = min(created_at, since.get(user_id, created_at))
        return since


def pending(notices: list[Notice], *, digest: bool) -> dict[int, list[Notice]]:
    """user id → the notices not yet sent to them, for those who want them this way (at once or digested)."""
    sent = set(
        NotificationSent.objects.filter(item__in={n.item for n in notices}).values_list("user_id", "item", "event")
    )
    followers = Followers(notice.target for notice in notices if notice.target)
    waiting: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        for user_id, following_since in followers.of(notice).items():
            if user_id in notice.exclude or (user_id, notice.item, notice.event) in sent:
                continue
            if not notice.deadline and notice.happened_at < following_since:
                continue  # no news of what happened before the person followed; a deadline still matters
            waiting[user_id].append(notice)
            # The same event reaching a person by two follows (a sphere and a saved search) is one e-mail: the
            # first notice of it is kept (its record is unique, and a second would fail the person's whole batch).
            sent.add((user_id, notice.item, notice.event))
    chosen = NotificationPreference.objects.filter(user__in=list(waiting)).values_list(
        "user_id", "email_enabled", "daily_digest"
    )
    preferences = {user_id: (enabled, daily) for user_id, enabled, daily in chosen}
    return {
        user_id: notices_of_user
        for user_id, notices_of_user in waiting.items()
        if (choice := preferences.get(user_id, (True, False)))[0] and choice[1] == digest
    }


def batches(user_ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(user_ids), BATCH):
        yield user_ids[start : start + BATCH]


def send(*, digest: bool = False, now: datetime | None = None) -> int:
    """Send what is due and not yet sent; return the number of e-mails queued. Idempotent."""
    from ngo_platform.accounts.models import User

    notices = due_notices(now)
    if not notices:
        return 0
    waiting = pending(notices, digest=digest)
    count = 0
    for batch in batches(sorted(waiting)):
        with memberships.remembering():  # each person's roles read once for all their notices
            for user in User.objects.filter(pk__in=batch, is_active=True).order_by("pk"):
                if notices_of_user := readable(user, waiting[user.pk]):
                    count += deliver(user, notices_of_user, digest=digest)
    return count


def readable(user, notices: list[Notice]) -> list[Notice]:
    """The notices whose rule lets the person read them, the rule asked once per target."""
    answers: dict[tuple, bool] = {}
    kept = []
    for notice in notices:
        if notice.perm:
            key = (notice.perm, notice.target or notice.item)
            if key not in answers:
                answers[key] = user.has_perm(notice.perm, notice.obj)
            if not answers[key]:
                continue
        kept.append(notice)
    return kept


def deliver(user, notices: list[Notice], *, digest: bool) -> int:
    """Record and queue one person's e-mails in one transaction; 0 if another run recorded them meanwhile."""
    try:
        with transaction.atomic():
            NotificationSent.objects.bulk_create(
                [NotificationSent(user=user, item=n.item, event=n.event) for n in notices]
            )
            if digest:
                notices = sorted(notices, key=lambda n: n.happened_at, reverse=True)
                email_notify(
                    to=[user.email],
                    template=DIGEST_TEMPLATE,
                    context={"groups": grouped(notices), "user": user, "count": len(notices)},
                )
                return 1
            for notice in notices:
                email_notify(
                    to=[user.email],
                    template=notice.template,
                    context={**notice.context, "notice": notice, "user": user},
                )
            return len(notices)
    except IntegrityError:  # another run sent it meanwhile
        return 0


def grouped(notices: list[Notice]) -> list[tuple[str, list[Notice]]]:
    """The notices by kind, in the order each kind first appears."""
    groups: dict[str, list[Notice]] = {}
    for notice in notices:
        groups.setdefault(str(notice.kind), []).append(notice)
    return list(groups.items())

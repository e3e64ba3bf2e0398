"""Moments for tests about time, derived from today: the end of the year and the nights the clocks change in
Europe/Warsaw (found in the time-zone database, not hard-coded). Freeze the clock at them with time-machine:

    with time_machine.travel(new_year(), tick=False):
        ...

and `typeable()` for the times a test types into a form.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone


def warsaw(*args) -> datetime:
    """An aware datetime in Europe/Warsaw (the project's TIME_ZONE), e.g. warsaw(2027, 12, 31, 23, 30)."""
    return datetime(*args, tzinfo=timezone.get_default_timezone())


def new_year(*, before: timedelta = timedelta(0), year: int | None = None) -> datetime:
    """Midnight in Warsaw at the end of this year (or of `year`), minus `before`; in UTC it is still 31 December,
    23:00 (the year ends an hour earlier in UTC, so code using the UTC date gets the year wrong)."""
    year = year or timezone.localdate().year
    return warsaw(year + 1, 1, 1) - before


def clock_change(month: int, *, after: date | None = None) -> datetime:
    """The next instant (in UTC) after `after` (default: today) at which Warsaw's offset from UTC changes in
    `month` (3: forward to summer time, 10: back to winter time)."""
    zone = timezone.get_default_timezone()
    after = after or timezone.localdate()
    for year in (after.year, after.year + 1):
        hour = datetime(year, month, 1, tzinfo=UTC)
        while hour.month == month:
            following = hour + timedelta(hours=1)
            if hour.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset() and following.date() > after:
                return following
            hour = following
    raise AssertionError(f"no change of the clocks in month {month} after {after} in {zone}")


def _exists_once(local: datetime) -> bool:
    """Whether the wall time of `local` happens exactly once in its zone (not in the hour the clocks skip or
    repeat)."""
    naive = local.replace(tzinfo=None)
    instants = {naive.replace(tzinfo=local.tzinfo, fold=fold).astimezone(UTC) for fold in (0, 1)}
    return len(instants) == 1 and next(iter(instants)).astimezone(local.tzinfo).replace(tzinfo=None) == naive


def typeable(moment: datetime) -> datetime:
    """`moment` in Warsaw time as a person can type it into a form: a wall time of the hour the clocks skip or
    repeat is refused by Django's forms ("ambiguous or does not exist"), so such a moment is moved on, minute by
    minute, to the first one after the change."""
    local = timezone.localtime(moment)
    while not _exists_once(local):
        local = timezone.localtime(local + timedelta(minutes=1) - timedelta(seconds=local.second))
    return local

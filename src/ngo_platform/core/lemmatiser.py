"""Polish lemmatisation for search: what the index stores and what a query looks for.

Both sides go through the same normalisation, so a query meets the index on equal terms:
every word becomes its lemma (simplemma, one lemma per word, no context) folded to lower-case ASCII
(`core.text.fold`), plus the folded surface form when it differs. "Związków" → ["zwiazek", "zwiazkow"],
so "związek", "związków" and "zwiazkow" typed without diacritics all find it.

simplemma's Polish dictionary (3.7 million forms) loads on the first call: ~3 s with the
memory-frugal backend used here (~55 MB), against ~8 s and ~400 MB per process for the default
one, which is ~10× faster per uncached word (~3 µs against ~30 µs). Words repeat a lot, so a cache in front of it makes
bulk indexing fast anyway. Call `warm_up()` where a slow first search would hurt (a worker's start).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from ngo_platform.core.text import fold

LANGUAGE = "pl"
# The memory-frugal dictionary backend: same lemmas, ~60 MB instead of ~400 MB per process.
LOW_MEMORY = True
# Shorter tokens ("w", "z", "i", a lone digit) carry no meaning for search; neither side keeps them.
MIN_TOKEN_LENGTH = 2
# A query longer than this is cut: each term is one more condition on the index.
MAX_QUERY_TOKENS = 8
MAX_QUERY_TERMS = 8

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits of any script; "_" and punctuation separate
_lock = threading.Lock()
_loaded = False


def _simplemma(function: str, word: str):
    global _loaded
    import simplemma  # imported lazily: importing is cheap, the first lookup loads the dictionary

    if not _loaded:
        with _lock:  # one thread loads; the others wait instead of loading it again
            result = getattr(simplemma, function)(word, lang=LANGUAGE, low_memory=LOW_MEMORY)
            _loaded = True
            return result
    return getattr(simplemma, function)(word, lang=LANGUAGE, low_memory=LOW_MEMORY)


def warm_up() -> None:
    """Load the dictionary now rather than on the first search (takes a few seconds, once per process)."""
    _simplemma("lemmatize", "stowarzyszeniach")


def tokens(text: str) -> list[str]:
    """The words and numbers of `text`, as written.

    "OSP w Brzegu-Dolnym, nr 12" → ["OSP", "w", "Brzegu", "Dolnym", "nr", "12"].
    """
    return _TOKEN.findall(text or "")


@lru_cache(maxsize=200_000)
def _token_terms(token: str) -> tuple[str, ...]:
    """(folded lemma,) or (folded lemma, folded surface form) of one lower-case token."""
    surface = "".join(_TOKEN.findall(fold(token)))  # folding may decompose into punctuation ("½" → "1⁄2")
    if len(surface) < MIN_TOKEN_LENGTH:
        return ()
    if any(ch.isdigit() for ch in token):
        return (surface,)
    lemma = fold(_simplemma("lemmatize", token))
    if lemma == surface or not _TOKEN.fullmatch(lemma) or len(lemma) < MIN_TOKEN_LENGTH:
        return (surface,)
    return (lemma, surface)


@lru_cache(maxsize=20_000)
def is_known(word: str) -> bool:
    """Whether `word` is a Polish word form the dictionary knows (numbers count as known).

    "kulturze", "związek" → True; "caritsa", "zwiazek" (no diacritics), "stow" (half typed) → False.
    """
    return any(ch.isdigit() for ch in word) or bool(_simplemma("is_known", word.lower()))


@lru_cache(maxsize=200_000)
def _token_words(token: str) -> tuple[tuple[str, str], ...]:
    """(term, how it is written) of one lower-case token: its folded lemma with the lemma as the dictionary writes
    it, then its folded surface form with the token itself. "związków" → (("zwiazek", "związek"), ("zwiazkow",
    "związków"))."""
    found = _token_terms(token)
    if len(found) == 2:
        return ((found[0], _simplemma("lemmatize", token).lower()), (found[1], token))
    return tuple((term, token) for term in found)


def words(text: str) -> dict[str, str]:
    """The terms of `text` (as `terms`), each with a written form for people to read: the vocabulary a
    suggestion ("Czy chodziło o…") is taken from."""
    found: dict[str, str] = {}
    for token in tokens(text):
        for term, shown in _token_words(token.lower()):
            found.setdefault(term, shown)
    return found


def lemmas(text: str) -> dict[str, str]:
    """Each word's folded lemma (as `terms` stores it first) with the lemma as the dictionary writes it, in the
    order of the text, once: what two texts share, to be said to people ("Seniorów" → {"senior": "senior"})."""
    found: dict[str, str] = {}
    for token in tokens(text):
        pairs = _token_words(token.lower())
        if pairs:
            found.setdefault(*pairs[0])
    return found


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def terms(text: str) -> list[str]:
    """What the index stores for `text`: each word's folded lemma, then its folded form if different.

    "Stowarzyszenie Przyjaciół Ziemi" → ["stowarzyszenie", "przyjaciel", "przyjaciol", "ziemia", "ziemi"].
    """
    return _unique(term for token in tokens(text) for term in _token_terms(token.lower()))


def query_groups(q: str) -> list[tuple[str, ...]]:
    """The query as groups of alternatives, one group per word: a document must match every group,
    and any term within a group (lemma or surface form). Words of one letter are dropped, repeated
    words counted once, at most MAX_QUERY_TOKENS words kept.

    "związków harcerstwa" → [("zwiazek", "zwiazkow"), ("harcerstwo", "harcerstwa")].
    """
    groups: list[tuple[str, ...]] = []
    for token in tokens(q):
        group = _token_terms(token.lower())
        if group and group not in groups:
            groups.append(group)
    return groups[:MAX_QUERY_TOKENS]


def query_terms(q: str) -> list[str]:
    """The terms a query looks for, normalised as `terms` (without one-letter words, at most MAX_QUERY_TERMS)."""
    return _unique(term for group in query_groups(q) for term in group)[:MAX_QUERY_TERMS]

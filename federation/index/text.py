"""Indonesian product text as the index stores and searches it.

Both sides go through ``words``: case folded, accents dropped, numbers split from units
(``5kg`` -> ``5 kg``), every other character a separator, and common spelling variants
written one way (``telor`` -> ``telur``, ``gr`` -> ``g``). What is stored is therefore
plain ASCII words joined by single spaces, which SQLite's FTS5 tokenizer and
PostgreSQL's ``simple`` configuration split into exactly the same tokens.

Queries are also expanded with synonyms: everyday abbreviations and trade names a buyer
types for what catalogues spell out (``migor`` is *minyak goreng*). Expansion happens at
query time only, so the list can grow without re-indexing.

``match`` decides in Python what ``fts.py``'s SQL decides, and ``anchor``/``spellings``
say what to ask a network so that nothing matching is left out: the live path
(``federation.matching``) uses them to mean exactly what the index means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import product

# One spelling for variants seen in catalogues; applied to documents and queries alike.
SPELLING: dict[str, str] = {
    "telor": "telur",
    "kripik": "keripik",
    "krupuk": "kerupuk",
    "mi": "mie",
    "detergen": "deterjen",
    "diterjen": "deterjen",
    "gr": "g",
    "gram": "g",
    "grm": "g",
    "kilo": "kg",
    "kilogram": "kg",
    "ltr": "l",
    "liter": "l",
    "mililiter": "ml",
    "btr": "butir",
}

# What buyers type -> what catalogues write. Keys and alternatives are word tuples.
SYNONYMS: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("migor",): (("minyak", "goreng"),),  # the everyday abbreviation
    ("minyak", "sayur"): (("minyak", "goreng"),),  # older name for cooking oil
    ("gulpas",): (("gula", "pasir"),),
    ("gula", "jawa"): (("gula", "merah"),),  # palm sugar, by its Javanese name
    ("kanji",): (("tapioka",),),  # tepung kanji is tapioca starch
    ("indomie",): (("mie", "instan"),),  # a brand used for any instant noodle
    ("ayam", "negeri"): (("ayam", "ras"),),  # telur ayam negeri = telur ayam ras
}

# Dropped from queries (never from documents) unless nothing else is left.
STOP_WORDS = frozenset({"dan", "yang", "untuk", "di", "ke", "dari", "atau", "dengan", "isi"})

MAX_GROUPS = 8
MIN_PREFIX = 3  # shorter last words are matched whole: a prefix of "kg" would be costly
MAX_VARIANTS = 8

_SPLIT = re.compile(r"[a-z]+|[0-9]+")


def words(text: str) -> list[str]:
    """``text`` as normalised words (see the module docstring)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [SPELLING.get(w, w) for w in _SPLIT.findall(plain)]


def normalise(*texts: str) -> str:
    """The stored form of ``texts``: their words joined by single spaces."""
    return " ".join(w for text in texts for w in words(text))


@dataclass(frozen=True, slots=True)
class Group:
    """One thing the query asks for: any of ``phrases`` (each consecutive words)."""

    phrases: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class TextQuery:
    """A parsed query: every group must match; the last word may be a prefix."""

    groups: tuple[Group, ...]
    prefix: bool

    @property
    def empty(self) -> bool:
        return not self.groups

    def variants(self) -> tuple[tuple[str, ...], ...]:
        """Whole-query phrases, one per choice of alternative in each group (bounded).

        Empty when there are more than ``MAX_VARIANTS``: the start-of-name tier is then
        skipped rather than made expensive.
        """
        count = 1
        for group in self.groups:
            count *= len(group.phrases)
        if count > MAX_VARIANTS:
            return ()
        return tuple(
            tuple(w for phrase in choice for w in phrase)
            for choice in product(*(g.phrases for g in self.groups))
        )

    def is_prefix(self, group: int, phrase: tuple[str, ...]) -> bool:
        """Whether ``phrase`` of group ``group`` ends in the query's prefix word."""
        return self.prefix and group == len(self.groups) - 1 and bool(phrase)


def parse(text: str | None) -> TextQuery:
    """A query's groups: words, with known synonyms as alternatives.

    The last word is a prefix (``arab`` finds *arabika*) when it is made of letters, at
    least ``MIN_PREFIX`` long, and not itself the start of a synonym.
    """
    found = words(text or "")
    kept = [w for w in found if w not in STOP_WORDS] or found
    groups: list[Group] = []
    position = 0
    expanded_last = False
    while position < len(kept) and len(groups) < MAX_GROUPS:
        for length in (3, 2, 1):
            key = tuple(kept[position : position + length])
            if len(key) == length and key in SYNONYMS:
                groups.append(Group((key, *SYNONYMS[key])))
                position += length
                expanded_last = True
                break
        else:
            groups.append(Group(((kept[position],),)))
            position += 1
            expanded_last = False
    last = kept[position - 1] if position else ""
    prefix = not expanded_last and last.isalpha() and len(last) >= MIN_PREFIX
    return TextQuery(tuple(groups), prefix)


def tag(kind: str, value: str) -> str:
    """An exact-match token for a filter value: ``kind`` letter plus the value in hex.

    Tokens of letters and digits only, so any value (slugs with dashes, dotted region
    codes) survives both engines' tokenizers unchanged and never collides with a word.
    """
    return f"{kind}{value.encode().hex()}"


def region_prefixes(code: str) -> list[str]:
    """``32.73.01`` -> ``32``, ``32.73``, ``32.73.01``: every region a code lies in."""
    parts = code.split(".")
    return [".".join(parts[: n + 1]) for n in range(len(parts))]


def tags(*, network: str, category: str, region_code: str, in_stock: bool) -> str:
    """The filter tokens of one product, space separated."""
    values = [
        tag("n", network),
        tag("c", category),
        *(tag("r", r) for r in region_prefixes(region_code)),
        "sy" if in_stock else "sn",
    ]
    return " ".join(values)


# --- Matching: what the index's SQL decides, in Python ---------------------------------
#
# ``fts.py`` turns a ``TextQuery`` into FTS5 and tsquery conditions; ``match`` is the same
# decision over one product's words, so the live path (``federation.matching``) finds
# exactly the products the index finds. Documents are the two stored columns: the name's
# words, and the description's followed by the category's (``rows.product_row``).


def document(name: str, description: str, category: str) -> tuple[list[str], list[str]]:
    """A product's searchable words as the index stores them: (name, body)."""
    return words(name), words(description) + words(category.replace("-", " "))


def _phrase_at(found: list[str], at: int, phrase: tuple[str, ...], prefix: bool) -> bool:
    if at + len(phrase) > len(found):
        return False
    last = len(phrase) - 1
    return all(
        found[at + n].startswith(word) if prefix and n == last else found[at + n] == word
        for n, word in enumerate(phrase)
    )


def _holds(found: list[str], phrase: tuple[str, ...], prefix: bool) -> bool:
    """FTS5 ``"a b"`` (``"a b"*`` with ``prefix``) within one column; tsquery ``a <-> b``."""
    return any(_phrase_at(found, at, phrase, prefix) for at in range(len(found)))


@dataclass(frozen=True, slots=True)
class Match:
    """How a product's words meet a query, one flag per condition ``fts.py`` builds.

    ``start``: the name begins with one of the query's variants (FTS5 ``^``, PostgreSQL
    ``LIKE 'variant%'``); ``name``: every group is in the name; ``anywhere``: every group
    is in the name or the body, each phrase within one of them. With no groups all hold.
    """

    start: bool
    name: bool
    anywhere: bool


def match(query: TextQuery, name: list[str], body: list[str]) -> Match:
    """The conditions ``name`` and ``body`` (from ``document``) meet for ``query``."""
    if query.empty:
        return Match(True, True, True)
    in_name = True
    anywhere = True
    for n, group in enumerate(query.groups):
        phrases = [(phrase, query.is_prefix(n, phrase)) for phrase in group.phrases]
        named = any(_holds(name, phrase, prefix) for phrase, prefix in phrases)
        in_name = in_name and named
        anywhere = anywhere and (named or any(_holds(body, p, x) for p, x in phrases))
    start = any(_phrase_at(name, 0, variant, query.prefix) for variant in query.variants())
    return Match(start, in_name, anywhere)


# --- Asking a network broadly ----------------------------------------------------------
#
# A network's own text search matches a raw substring (case aside). Every product the
# query matches holds, for one chosen group, one of that group's phrases, so it holds the
# chosen word of that phrase, written in one of the ways ``words`` reads as that word.
# Asking for each such spelling (and each category named by the word, as the body holds
# the category) therefore drops nothing; the hub then keeps the real matches.


def spellings(word: str, prefix: bool) -> frozenset[str]:
    """Raw substrings, one of which any text whose ``words`` hold ``word`` (or a word
    starting with it, with ``prefix``) contains, ignoring ASCII case.

    A spelling another one contains is left out: asking for the shorter finds it.
    """
    forms = {word} | {
        raw for raw, one in SPELLING.items() if (one.startswith(word) if prefix else one == word)
    }
    return frozenset(f for f in forms if not any(o != f and o in f for o in forms))


@dataclass(frozen=True, slots=True)
class Anchor:
    """One word (with its prefix flag) of each phrase of one group: any match holds one."""

    terms: tuple[tuple[str, bool], ...]

    def spellings(self) -> frozenset[str]:
        """Substrings whose union, asked of name and description, drops no match."""
        found = {s for word, prefix in self.terms for s in spellings(word, prefix)}
        return frozenset(f for f in found if not any(o != f and o in f for o in found))

    def in_words(self, found: list[str]) -> bool:
        """Whether ``found`` (e.g. a category's words) holds one of the terms."""
        return any(_holds(found, (word,), prefix) for word, prefix in self.terms)


def anchor(query: TextQuery) -> Anchor | None:
    """The group to ask a network for: the one whose spellings are longest (most
    selective), then fewest. None for an empty query."""
    best: tuple[tuple[int, int], Anchor] | None = None
    for n, group in enumerate(query.groups):
        terms: list[tuple[str, bool]] = []
        for phrase in group.phrases:
            prefix = query.is_prefix(n, phrase)
            flags = [prefix and i == len(phrase) - 1 for i in range(len(phrase))]
            # The phrase's most selective word: its shortest spelling is longest.
            terms.append(
                max(
                    zip(phrase, flags, strict=True),
                    key=lambda t: min(len(s) for s in spellings(*t)),
                )
            )
        candidate = Anchor(tuple(terms))
        forms = candidate.spellings()
        score = (min(len(s) for s in forms), -len(forms))
        if best is None or score > best[0]:
            best = (score, candidate)
    return None if best is None else best[1]

"""Indonesian product text as the index stores and searches it.

Both sides go through ``words``: case folded, accents dropped, numbers split from units
(``5kg`` -> ``5 kg``), every other character a separator, and common spelling variants
written one way (``telor`` -> ``telur``, ``gr`` -> ``g``). What is stored is therefore
plain ASCII words joined by single spaces, which SQLite's FTS5 tokenizer and
PostgreSQL's ``simple`` configuration split into exactly the same tokens.

Queries are also expanded with synonyms: everyday abbreviations and trade names a buyer
types for what catalogues spell out (``migor`` is *minyak goreng*). Expansion happens at
query time only, so the list can grow without re-indexing.
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

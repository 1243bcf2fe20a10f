"""The source registry: loading the YAML data and matching source names against it.

A source span from the extractor ("the Russian Interior Ministry", "TASS", "Valery Kalachev")
resolves to at most one registry entry, tried in this order:

1. **exact**: an acronym, case-sensitively ("AP", "MVD"; short acronyms never match words);
   a name or alias after normalisation (case, leading "the", possessives, punctuation); or a
   domain ("tass.com"). Score 100.
2. **wrapped**: a registry name inside descriptor words only ("the Reuters news agency",
   "Russia's state news agency TASS", "a State Department spokesman"). Score 95. Any other
   word (a person's name, "critics of", "sources close to") rules this out.
3. **fuzzy**: rapidfuzz `token_sort_ratio` of the normalised strings, at or above
   FUZZY_CUTOFF. It compares whole strings after sorting their words, so it forgives word
   order and typos ("Ministry of Internal Affairs, Russian", "Assocated Press") but not
   missing words. `WRatio` and `token_set_ratio` were rejected: they score a fragment of a
   longer name highly ("the ministry" vs "Ministry of Internal Affairs" gets 90 and 100),
   which turns every generic head noun into a false match.

   Only for names of two words or more that contain a capital: a one-word query matches
   exactly or not at all ("Independents" scores 96 against The Independent), and a hit must
   keep the words' initials and not be a mere plural ("Most Millennials" is not "The Post
   Millennial", "Cable News Networks" is not CNN).

When the two best entries of the same stage are within AMBIGUITY_MARGIN, the match is reported
as ambiguous (`ambiguous_with`), not guessed. Pronouns, generic sources ("officials", "the
ministry", "police", "people") and single lowercase words never match, whatever a registry
file says.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rapidfuzz import fuzz, process

from .models import AttribauditError, RegistryMatch
from .paths import registry_dir
from .tokens import trie_pattern
from .yamlio import load_yaml, validation_error

# Bump when matching changes, so caches keyed on fingerprint() are invalidated.
MATCHER_VERSION = "1"
FUZZY_CUTOFF = 90.0
WRAPPED_SCORE = 95.0
AMBIGUITY_MARGIN = 3.0
# `lookup` shows candidates down to this score so a user can see the near misses.
LOOKUP_FLOOR = 60.0
_MATCH_CACHE_LIMIT = 1 << 16

EntryType = Literal[
    "agency", "outlet", "government", "international", "ngo", "company", "person", "other"
]
ENTRY_TYPES: tuple[str, ...] = EntryType.__args__  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- schema


_HOST = re.compile(r"^(?:[\w-]+\.)+[\w-]+$")


class Rating(BaseModel):
    """A third party's rating of a source, with where and when it was given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rating: str = Field(min_length=1)
    rater: str = Field(min_length=1)
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    source: str | None = None
    # What part of the source the rating is about ("politics and science").
    scope: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_to_text(cls, value: Any) -> Any:
        # An unquoted 2021-03-17 arrives from YAML as a date.
        return value.isoformat() if isinstance(value, date) else value


class RegistryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str = Field(min_length=1)
    type: EntryType
    aliases: list[str] = []
    acronyms: list[str] = []
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2
    domains: list[str] = []
    reliability: list[Rating] = []
    provenance: str = Field(min_length=1)

    @field_validator("aliases", "acronyms")
    @classmethod
    def _no_blank_items(cls, values: list[str]) -> list[str]:
        for value in values:
            if not value.strip():
                raise ValueError("items must not be blank")
        return values

    @field_validator("domains")
    @classmethod
    def _host_names(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _HOST.match(value):
                raise ValueError(f"{value!r} is not a host name (no scheme, no path)")
        return values

    @field_validator("country", mode="before")
    @classmethod
    def _country_not_boolean(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("YAML reads NO, ON, YES as booleans: quote the country code ('NO')")
        return value

    def ratings(self) -> list[dict[str, str]]:
        return [rating.model_dump(exclude_none=True) for rating in self.reliability]


class RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    registry: str = Field(min_length=1)
    description: str = ""
    entries: list[RegistryEntry]


def format_rating(rating: dict[str, str] | Rating) -> str:
    """'rated generally reliable by Wikipedia RSP (2021-03-17)': the rater's word, not ours."""
    if isinstance(rating, Rating):
        rating = rating.model_dump(exclude_none=True)
    text = f"rated {rating['rating']} by {rating['rater']} ({rating['date']})"
    if rating.get("scope"):
        text += f" for {rating['scope']}"
    return text


# --------------------------------------------------------------------------- loading

# Parsed files, keyed on (path, mtime, size): an engine per worker reuses the shipped data.
_FILE_CACHE: dict[tuple[str, int, int], tuple[RegistryEntry, ...]] = {}


def _read_entries(path: Path) -> tuple[RegistryEntry, ...]:
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size) if stat else None
    if key is not None and key in _FILE_CACHE:
        return _FILE_CACHE[key]
    data = load_yaml(path)
    if data is None:
        raise AttribauditError("registry file is empty", str(path))
    try:
        parsed = RegistryFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, data, exc.errors(), "registry") from None
    seen: dict[str, int] = {}
    lines = getattr(data.get("entries"), "item_lines", None) or [None] * len(parsed.entries)
    for entry, line in zip(parsed.entries, lines, strict=True):
        if entry.id in seen:
            raise AttribauditError(
                f"duplicate registry id {entry.id!r} (first at line {seen[entry.id]})",
                str(path),
                line,
            )
        seen[entry.id] = line or 0
    entries = tuple(parsed.entries)
    if key is not None:
        _FILE_CACHE[key] = entries
    return entries


def validate_registry_file(path: Path) -> int:
    """Check one registry file; return its entry count or raise AttribauditError(file, line)."""
    return len(_read_entries(Path(path)))


def registry_clashes(path: Path) -> list[AttribauditError]:
    """What a user's registry file claims that another entry claims too: a name, alias,
    acronym or domain that a shipped entry, or an earlier entry of the file, already has.
    Loaded with the shipped registry, a match on it is ambiguous (`registry lookup` says so,
    reports list the other entry in `ambiguous_with`). Each clash names the file and the line
    of the item, for `registry validate` to print as a warning: sharing a name can be true
    (the shipped CSM is two outlets'), so it is not an error. A file entry with a shipped
    entry's id replaces it, so that entry's claims do not count. The file must be valid
    (`validate_registry_file`).

    The claims are read from a `Registry` built as `load_registry` would build it, so they are
    the keys the matcher itself looks up: normalised names, acronyms as written, domains."""
    path = Path(path)
    own = _read_entries(path)
    own_ids = {entry.id for entry in own}
    shipped: list[tuple[RegistryEntry, str]] = [
        (entry, shipped_path.name)
        for shipped_path in default_registry_files()
        for entry in _read_entries(shipped_path)
        if entry.id not in own_ids
    ]
    first_own = len(shipped)
    combined = Registry([entry for entry, _ in shipped] + list(own))
    raw_entries = load_yaml(path).get("entries")

    def line_of(index: int, surface: str, kind: str) -> int | None:
        raw = raw_entries[index] if isinstance(raw_entries, list) else None
        if not isinstance(raw, dict):
            return None
        fields = ["name", "aliases", "acronyms"] if kind != "domain" else ["domains"]
        for field in fields:
            value = raw.get(field)
            if value == surface and field == "name":
                return getattr(raw, "key_lines", {}).get(field)
            if isinstance(value, list) and surface in value:
                lines = getattr(value, "item_lines", None)
                return lines[value.index(surface)] if lines else getattr(value, "line", None)
        return getattr(raw, "line", None)

    clashes: list[tuple[int, int, AttribauditError]] = []
    tables = (("name", combined._names), ("acronym", combined._acronyms))
    for kind, table in (*tables, ("domain", combined._domains)):
        for owners in table.values():
            if len(owners) < 2 or owners[-1][0] < first_own:
                continue
            first, first_surface = owners[0]
            for index, surface in owners[1:]:
                if index < first_own:
                    continue
                entry = combined.entries[index]
                if first < first_own:
                    other = f"the shipped entry {shipped[first][0].id!r} ({shipped[first][1]})"
                else:
                    other_line = line_of(first - first_own, first_surface, kind)
                    other = repr(combined.entries[first].id)
                    if other_line:
                        other += f" at line {other_line}"
                what = kind
                if kind != "domain":
                    what = "name" if surface == entry.name else "alias"
                    if surface in entry.acronyms:
                        what = "acronym"
                line = line_of(index - first_own, surface, kind)
                message = (
                    f"{what} {surface!r} of {entry.id!r} is also claimed by {other}: "
                    "a match on it is reported as ambiguous between the two"
                )
                clashes.append((line or 0, index, AttribauditError(message, str(path), line)))
    clashes.sort(key=lambda clash: clash[:2])
    return [error for _, _, error in clashes]


def default_registry_files() -> list[Path]:
    return sorted(registry_dir().glob("*.yaml"))


def load_registry(extra: Sequence[Path] = (), include_default: bool = True) -> Registry:
    """The shipped registry plus the user's files; an extra entry replaces a shipped one by id."""
    entries: dict[str, RegistryEntry] = {}
    origin: dict[str, Path] = {}
    if include_default:
        for path in default_registry_files():
            for entry in _read_entries(path):
                if entry.id in entries:
                    raise AttribauditError(
                        f"registry id {entry.id!r} is also defined in {origin[entry.id].name}",
                        str(path),
                    )
                entries[entry.id] = entry
                origin[entry.id] = path
    for path in extra:
        for entry in _read_entries(Path(path)):
            entries[entry.id] = entry  # keeps the shipped entry's place when replacing it
    return Registry(list(entries.values()))


# --------------------------------------------------------------------------- normalising

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# "his Justice Department" is the Justice Department; "a"/"an" stay ("An Phoblacht").
_LEADING_DETERMINER = re.compile(r"^(?:the|his|her|its|their)\s+", re.IGNORECASE)

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_POSSESSIVE = re.compile(r"(?<=\w)'s(?!\w)|(?<=s)'(?!\w)")
_DROPPED = re.compile(r"['.]")  # "U.S." -> "us", "O'Reilly" -> "oreilly"
_WORD = re.compile(r"[^\W_]+")

# The helpers below skip their translation or regex when the text cannot hold what it changes:
# most names have no curly quote and no apostrophe, and each skipped call saves about a
# microsecond on each of the ~9,000 names a run over PolNeAR train looks up (about 25 ms).


def _straight_quotes(text: str) -> str:
    # "`" is the only one of the quotes in ASCII.
    return text.translate(_QUOTES) if not text.isascii() or "`" in text else text


def _without_possessives(text: str) -> str:
    return _POSSESSIVE.sub("", text) if "'" in text else text


def normalize(text: str) -> str:
    """Casefolded words without accents, quotes, possessives, punctuation or a leading "the"."""
    text = _straight_quotes(text)
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    text = _without_possessives(text.casefold()).replace("&", " and ")
    words = _WORD.findall(_DROPPED.sub("", text))
    if words and words[0] == "the":
        del words[0]
    return " ".join(words)


def _has_capital(text: str) -> bool:
    # In ASCII, lowercasing changes exactly the capitals: one C call instead of a loop.
    return text.lower() != text if text.isascii() else any(ch.isupper() for ch in text)


def looks_like_acronym(text: str) -> bool:
    """One word written in capitals ("AP", "ITAR-TASS", "E!"): matched case-sensitively."""
    return " " not in text.strip() and text.isupper()


def _word_set(*groups: str) -> frozenset[str]:
    return frozenset(" ".join(groups).split())


# Words that never name a registry entry on their own, whatever a user's registry says.
_PRONOUNS = _word_set(
    "he she they it we i you him her them his hers its their theirs who whom whose which that "
    "this these those one someone somebody anyone anybody everyone everybody nobody me my our "
    "us",
)
_GENERIC_SOURCES = _word_set(
    "official officials critic critics expert experts analyst analysts observers "
    "source sources people person residents witnesses witness police authorities ministry "
    "campaign government agency newspaper department bureau commission committee spokesman "
    "spokeswoman spokesperson media reports report poll polls survey study studies "
    "researchers scientists diplomats lawmakers investigators prosecutors court "
    "administration army military company organization organisation group",
)
_NEVER_NAMES = _PRONOUNS | _GENERIC_SOURCES

# Words around a registry name that describe it without naming anyone else: "the Reuters news
# agency", "Russia's state news agency TASS", "a State Department spokesman". Multi-word forms
# are removed first so that "backed" alone ("a Kremlin-backed outlet") does not pass.
_DESCRIPTOR_PHRASES = re.compile(
    r"\b(?:state|government|publicly) (?:run|owned|controlled|funded)\b"
)
_JOINERS = _word_set("a an the of for at from by")
_PLACES = _word_set(
    # countries and demonyms that qualify a name ("Russia's", "the British")
    "russia russian ukraine ukrainian us usa united states america american uk britain "
    "british china chinese france french germany german italy italian spain spanish japan "
    "japanese korea korean south north india indian turkey turkish iran iranian israel "
    "israeli qatar qatari saudi arabia poland polish malaysia malaysian indonesia indonesian "
    "australia australian canada canadian belarus belarusian european",
)
_DESCRIPTORS = (
    _JOINERS
    | _PLACES
    | _word_set(
        # kinds of outlet and their staff
        "news agency wire service newswire newspaper paper daily weekly tabloid magazine journal "
        "website site portal outlet publication broadcaster broadcasting network channel tv "
        "television radio station media blog editorial reporter reporters correspondent "
        "correspondents journalist journalists poll survey report reporting count analysis",
        # an institution's own voice
        "spokesman spokeswoman spokesperson press office secretary representative statement "
        "official state national federal government leading major independent international",
    )
)
# Capitalised words that may stand right before a registry name without being part of a longer
# name: sentence openers and the words of a credit line. Any other capitalised word makes the
# name the tail of another one: "National Security Council", "Face the Nation", "Our Time".
_NOT_PART_OF_A_NAME = (
    _JOINERS
    | _PLACES
    | _word_set(
        "and but or nor so yet in on to with per via as if when while after before since because "
        "although though unlike like including citing according also even then than not no only "
        "both either neither all some many most every each this that these those it he she we "
        "they who which what where says said told reported reports wrote writes source sources "
        "attribution credit credits photo image video copyright reporting additional",
    )
)


# --------------------------------------------------------------------------- mention patterns
#
# One regex over ~1,500 names costs ~100 ms to compile, more than loading the registry. Mentions
# are found in two steps instead: a small fixed regex finds capitalised words; a word that
# starts some registry name (a dict look-up) then looks up the words that follow it among that
# name group's names, folded the way the name regex would compare them (`_NameGroup.end_at`).
# Compiling a regex per group on first use cost ~45 ms per process over PolNeAR train (~190
# groups), paid again by every worker; the regexes remain the exact definition and the
# fallback for the rare names and texts where plain lowercasing is not what `re` compares.

_SEPARATOR = " "  # a run of spaces or hyphens in a name
_SEPARATOR_RE = r"[\s\-‐‑–]+"
# The same inside a name regex, spelt so that it compiles fast: a character class that holds a
# character above U+00FF and whose characters form more than two runs ("-", "‐‑", "–")
# compiles to a 64 KB bitmap, ~70 µs at each of the ~900 places a name holds a separator. The
# lookahead keeps the regex parser from folding "–" back into the class; both forms match the
# same text.
_SEPARATOR_IN_NAME = r"(?:[\s\-‐‑]|(?=–).)+"
_CAPITALISED = re.compile(r"(?<!\w)[^\W\d_a-z][\w'’.&]*")
# The words of a name as written in a text: the runs between separators.
_NAME_WORD = re.compile(r"[^\s\-‐‑–]+")
# The only characters outside ASCII that `re` matches case-insensitively against ASCII ones
# (capital "İ" and dotless "ı" against "i", long "ſ" against "s", the Kelvin sign against "k"),
# where `str.lower` does not agree with it; a test checks the list against `re` itself.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")  # İ ı ſ, Kelvin sign


def _canonical(surface: str) -> str:
    return re.sub(_SEPARATOR_RE, _SEPARATOR, surface.translate(_QUOTES).strip())


# Memoised: it runs for every capitalised word of every text looked at, and the same words
# ("Trump", "Mr.", "The") come back all the time.
@lru_cache(maxsize=1 << 16)
def _first_key(word: str) -> str:
    """What a name's first word and a word of the text have in common: "Russia’s" -> "russia"."""
    key = word.casefold().replace("’", "'")
    if key.endswith("'s"):
        key = key[:-2]
    key = key.replace("'", "").replace(".", "")
    if not key.isascii():
        key = "".join(
            ch for ch in unicodedata.normalize("NFKD", key) if not unicodedata.combining(ch)
        )
    return key


def _unit(ch: str) -> str:
    if ch == _SEPARATOR:
        return _SEPARATOR_IN_NAME
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def _name_regex(cores: Iterable[str]) -> str:
    """Names whose first letter is written as in the registry (or capitalised) and the rest in
    any case: "Reuters" and "REUTERS" match, "rolling stone" in running prose does not."""
    by_first: dict[str, list[str]] = {}
    for core in cores:
        by_first.setdefault(core[0], []).append(core[1:].lower())
    branches = []
    for first, rests in sorted(by_first.items()):
        upper = first.upper()
        head = re.escape(first) if first == upper else f"[{re.escape(first)}{re.escape(upper)}]"
        tail = trie_pattern(rests, _unit)
        branches.append(head + (f"(?i:{tail})" if tail else ""))
    return "(?:" + "|".join(branches) + ")"


def _name_key(core: str) -> str:
    """A name as `end_at` compares it: the first letter as written, the rest in lowercase, one
    space between words (what `_name_regex` matches, for a name in ASCII)."""
    return core[0] + core[1:].lower()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `re` calls \w in a str pattern


class _NameGroup:
    """The names that start with one word, split by whether they need a "the" before them."""

    __slots__ = ("after_the", "all_keys", "bare", "bare_keys", "in_ascii", "openings", "patterns")

    def __init__(self, bare: set[str], after_the: set[str]) -> None:
        self.bare = bare
        self.after_the = after_the
        self.bare_keys = frozenset(_name_key(core) for core in bare)
        self.all_keys = self.bare_keys | {_name_key(core) for core in after_the}
        # The first words of the longer names ("New", "New York"): reading stops at the first
        # word that does not continue one.
        self.openings = frozenset(
            _SEPARATOR.join(words[:count])
            for words in (key.split(_SEPARATOR) for key in self.all_keys)
            for count in range(1, len(words))
        )
        # Outside ASCII, lowercasing is not always how `re` compares ("Anadolu Ajansı" matches
        # "Anadolu Ajansi" there): such a group is matched by its regex.
        self.in_ascii = all(core.isascii() for core in bare | after_the)
        self.patterns: list[re.Pattern[str]] | None = None

    def end_at(self, text: str, start: int) -> int:
        """Where the longest of the group's names written at `start` ends, or -1: the same
        answer as the longest match of `compiled()` there, without compiling it."""
        if not self.in_ascii:
            return self._regex_end(text, start)
        keys = self.all_keys if _after_a_capital_the(text, start) else self.bare_keys
        end = -1
        read = ""  # the words read so far, folded and joined by single spaces
        for word in _NAME_WORD.finditer(text, start):
            written = word.group()
            if not _FOLDS_TO_ASCII.isdisjoint(written):
                return self._regex_end(text, start)
            # The first letter as written, the rest folded. Lowercasing keeps every position:
            # of all characters only "İ" changes length, and it was ruled out above.
            folded = written.replace("’", "'").lower()
            if not read:
                folded = text[start] + folded[1:]
            # A name may end at the word's end or before any character that is not a word
            # character: "Reuters," and "U.S.-based" hold names.
            for cut in range(1, len(written) + 1):
                ends_here = cut == len(written) or not _is_word_char(written[cut])
                if (
                    ends_here
                    and (f"{read}{_SEPARATOR}{folded[:cut]}" if read else folded[:cut]) in keys
                ):
                    end = word.start() + cut
            read = f"{read}{_SEPARATOR}{folded}" if read else folded
            if read not in self.openings:
                return end
        return end

    def compiled(self) -> list[re.Pattern[str]]:
        if self.patterns is None:
            self.patterns = []
            if self.bare:
                self.patterns.append(re.compile(_name_regex(self.bare) + r"(?!\w)"))
            if self.after_the:
                # "The Hindu", "The Atlantic": without a capitalised "The" these are ordinary
                # words ("the Hindu community", "across the Atlantic", "the Australian army").
                self.patterns.append(
                    re.compile(r"(?<=The\s)" + _name_regex(self.after_the) + r"(?!\w)")
                )
        return self.patterns

    def _regex_end(self, text: str, start: int) -> int:
        return max((m.end() for p in self.compiled() if (m := p.match(text, start))), default=-1)


def _after_a_capital_the(text: str, start: int) -> bool:
    r"""What `(?<=The\s)` tests: "The" and one space right before `start`."""
    return start >= 4 and text[start - 1].isspace() and text.startswith("The", start - 4)


class _MentionIndex:
    """Finds the registry's names and acronyms inside a text."""

    def __init__(self, names: Iterable[str], acronyms: Iterable[str]) -> None:
        # first key -> (bare names, names that need "The")
        grouped: dict[str, tuple[set[str], set[str]]] = {}
        others: set[str] = set()  # names starting with a digit or a lowercase letter: "arXiv"
        for surface in names:
            canonical = _canonical(surface)
            core = _LEADING_THE.sub("", canonical)
            if not core:
                continue
            needs_the = core != canonical and _SEPARATOR not in core
            if not _CAPITALISED.match(core) or not core[0].isupper():
                others.add(core)
                continue
            bare, after_the = grouped.setdefault(
                _first_key(core.split(_SEPARATOR, 1)[0]), (set(), set())
            )
            (after_the if needs_the else bare).add(core)
        self.groups = {key: _NameGroup(*names) for key, names in grouped.items()}
        self.others = re.compile(rf"(?<!\w){_name_regex(others)}(?!\w)") if others else None
        acronyms = list(acronyms)
        self.acronyms = (
            re.compile(rf"(?<!\w)(?:{trie_pattern(acronyms, _unit)})(?!\w)") if acronyms else None
        )

    def spans(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, is_acronym) of every candidate, longest first at each start."""
        found: list[tuple[int, int, bool]] = []
        groups = self.groups
        for word in _CAPITALISED.finditer(text):
            group = groups.get(_first_key(word.group()))
            if group is None:
                continue
            start = word.start()
            end = group.end_at(text, start)
            if end > start:
                found.append((start, end, False))
        for pattern, is_acronym in ((self.others, False), (self.acronyms, True)):
            # A search first: nearly every text holds neither kind (a source name holds an
            # acronym one time in 140), and a search that finds nothing costs half of setting
            # up finditer and the generator.
            if pattern is not None and pattern.search(text):
                found.extend((m.start(), m.end(), is_acronym) for m in pattern.finditer(text))
        # At one start the longest first, and an acronym before a name with the same span.
        found.sort(key=lambda hit: (hit[0], hit[0] - hit[1], not hit[2]))
        return found


# --------------------------------------------------------------------------- the registry


@dataclass(slots=True)
class _Candidate:
    score: float
    index: int  # into Registry.entries
    alias: str
    stage: int  # 0 exact, 1 wrapped, 2 fuzzy: ties are only looked for within a stage


_EXACT, _WRAPPED, _FUZZY = 0, 1, 2
_DOMAIN = re.compile(
    r"^(?:https?://)?(?:www\.)?((?:[\w-]+\.)+[^\W\d_]{2,})\.?(?:[/:?#]\S*)?$", re.IGNORECASE
)


class Registry:
    """Known sources and the look-up structures built over them once."""

    def __init__(self, entries: Sequence[RegistryEntry]) -> None:
        self.entries: list[RegistryEntry] = list(entries)
        self.by_id: dict[str, RegistryEntry] = {entry.id: entry for entry in self.entries}
        # normalised name/alias -> [(entry index, surface)]; acronyms keep their case.
        self._names: dict[str, list[tuple[int, str]]] = {}
        self._acronyms: dict[str, list[tuple[int, str]]] = {}
        self._domains: dict[str, list[tuple[int, str]]] = {}
        self._ratings: list[list[dict[str, str]]] = [entry.ratings() for entry in self.entries]
        for index, entry in enumerate(self.entries):
            for surface in (entry.name, *entry.aliases):
                if looks_like_acronym(surface):
                    _claim(self._acronyms, surface.strip(), index, surface)
                elif key := normalize(surface):
                    _claim(self._names, key, index, surface)
            for acronym in entry.acronyms:
                _claim(self._acronyms, acronym.strip(), index, acronym)
            for domain in entry.domains:
                _claim(self._domains, domain.lower().removeprefix("www."), index, domain)
        # Keys sorted by length: a normalised Indel similarity of `floor` or more is impossible
        # when lengths differ by more than that share, so a query scores only a length window.
        self._fuzzy_keys = sorted(self._names, key=len)
        self._fuzzy_lengths = [len(k) for k in self._fuzzy_keys]
        # token_sort_ratio is the ratio of the strings with their words sorted: sorting the
        # keys' words once here spares sorting them again for every query.
        self._fuzzy_sorted = [" ".join(sorted(k.split())) for k in self._fuzzy_keys]
        self._cache: dict[str, RegistryMatch | None] = {}

    # ----------------------------------------------------------------- public API

    def match(self, name: str) -> RegistryMatch | None:
        """The entry `name` refers to, or None. Ambiguous matches carry `ambiguous_with`."""
        cached = self._cache.get(name, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        candidates = self._candidates(name, FUZZY_CUTOFF)
        result = self._result(candidates[0], self._near_ties(candidates)) if candidates else None
        if len(self._cache) >= _MATCH_CACHE_LIMIT:
            self._cache.clear()
        self._cache[name] = result
        return result

    def lookup(self, name: str, limit: int = 5) -> list[RegistryMatch]:
        """The best candidates down to LOOKUP_FLOOR, best first; the first carries the
        ambiguity `match` would report. Candidates under FUZZY_CUTOFF are near misses."""
        candidates = self._candidates(name, LOOKUP_FLOOR)[: max(limit, 0)]
        results = [self._result(c, []) for c in candidates]
        if results:
            results[0].ambiguous_with = self._near_ties(candidates)
        return results

    def find_mentions(self, text: str) -> list[tuple[int, int, RegistryMatch]]:
        """Registry names and acronyms written out inside `text`, word-bounded, in order.

        Acronyms match case-sensitively; names match when their first letter is written as in
        the registry (or capitalised) and the rest in any case. A one-word name that the
        registry writes with "The" needs it, capitalised ("The Hindu", not "Hindu" or "the
        Hindu community"). A name right after another capitalised word is the tail of a longer
        name and is skipped ("National Security Council"), as are generic words ("People").
        A one-word name opening a sentence ("Time will tell") is still a hit: callers scanning
        running prose rather than a source or credit line should weigh that.
        """
        mentions = []
        for start, end, owners in self._mention_hits(text):
            index, surface = owners[0]
            ambiguous = [self.entries[i].id for i, _ in owners[1:]]
            mentions.append((start, end, self._make_match(index, 100.0, surface, ambiguous)))
        return mentions

    def fingerprint(self) -> str:
        """A stable hash of the loaded entries and the matcher version, for cache keys."""
        return self._fingerprint

    def get(self, entry_id: str) -> RegistryEntry | None:
        return self.by_id.get(entry_id)

    def __len__(self) -> int:
        return len(self.entries)

    # ----------------------------------------------------------------- building blocks

    @cached_property
    def _fingerprint(self) -> str:
        digest = hashlib.sha256(f"attribaudit-registry {MATCHER_VERSION}\n".encode())
        for entry in self.entries:
            digest.update(entry.model_dump_json().encode())
            digest.update(b"\n")
        return digest.hexdigest()

    @cached_property
    def _mentions(self) -> _MentionIndex:
        names = (surface for owners in self._names.values() for _, surface in owners)
        return _MentionIndex(names, self._acronyms)

    def _candidates(self, name: str, floor: float) -> list[_Candidate]:
        raw = _LEADING_DETERMINER.sub("", name.strip().strip("\"'“”‘’[]()").strip())
        if not raw:
            return []
        acronym = _without_possessives(_straight_quotes(raw))
        if acronym in self._acronyms:
            return [_Candidate(100.0, i, s, _EXACT) for i, s in self._acronyms[acronym]]
        domain = self._domain_owners(raw)
        if domain:
            return [_Candidate(100.0, i, s, _EXACT) for i, s in domain]
        key = normalize(raw)
        if not key or key in _NEVER_NAMES:
            return []
        has_capital = _has_capital(raw)
        if " " not in key and not has_capital:
            return []  # a lowercase word is a common noun, not a name ("reason", "people")
        exact = self._names.get(key)
        if exact:
            return [_Candidate(100.0, i, s, _EXACT) for i, s in exact]
        best: dict[int, _Candidate] = {}
        for candidate in self._wrapped(raw):
            best.setdefault(candidate.index, candidate)
        if has_capital and " " in key:
            for candidate in self._fuzzy(key, floor):
                if candidate.index not in best or best[candidate.index].score < candidate.score:
                    best[candidate.index] = candidate
        return sorted(best.values(), key=lambda c: (c.stage, -c.score, c.index))

    def _fuzzy(self, key: str, floor: float) -> Iterable[_Candidate]:
        """Misspelt or reordered names of two words or more. One-word queries only match
        exactly: a plural ("Independents", "Economists") scores 95 against the outlet."""
        words = key.split()
        # ratio = 1 - dist / (la + lb) and dist >= |la - lb|, so lb lies within this window.
        share = 1 - floor / 100
        low = bisect.bisect_left(self._fuzzy_lengths, len(key) * (1 - share) / (1 + share))
        high = bisect.bisect_right(self._fuzzy_lengths, len(key) * (1 + share) / (1 - share))
        hits = process.extract(
            " ".join(sorted(words)),
            self._fuzzy_sorted[low:high],
            scorer=fuzz.ratio,  # on sorted words: fuzz.token_sort_ratio
            processor=None,
            score_cutoff=floor,
            limit=20,
        )
        for _, score, offset in hits:
            choice = self._fuzzy_keys[low + offset]
            if _same_words_respelt(words, choice.split()):
                for index, surface in self._names[choice]:
                    yield _Candidate(float(score), index, surface, _FUZZY)

    def _mention_hits(self, text: str) -> list[tuple[int, int, list[tuple[int, str]]]]:
        """(start, end, owners) of every name and acronym in `text`; where two overlap, the
        earlier wins, and at the same start the longer."""
        hits: list[tuple[int, int, list[tuple[int, str]]]] = []
        last_end = -1
        for start, end, is_acronym in self._mentions.spans(text):
            if start < last_end:
                continue
            found = text[start:end]
            if is_acronym:
                owners = self._acronyms.get(found)
            else:
                key = normalize(found)
                if key in _NEVER_NAMES or _continues_a_name(text, start):
                    continue  # "People say", "the National Security Council"
                owners = self._names.get(key)
            if owners:
                hits.append((start, end, owners))
                last_end = end
        return hits

    def _wrapped(self, raw: str) -> list[_Candidate]:
        hits = self._mention_hits(raw)
        if not hits:
            return []
        owners = {tuple(index for index, _ in hit_owners) for _, _, hit_owners in hits}
        if len(owners) != 1:
            return []  # two different sources named: not one source
        residual = raw
        for start, end, _ in reversed(hits):
            residual = residual[:start] + " " + residual[end:]
        residual = _DESCRIPTOR_PHRASES.sub(" ", normalize(residual))
        if any(word not in _DESCRIPTORS for word in residual.split()):
            return []
        return [_Candidate(WRAPPED_SCORE, i, s, _WRAPPED) for i, s in hits[0][2]]

    def _domain_owners(self, raw: str) -> list[tuple[int, str]]:
        m = _DOMAIN.match(raw)
        if not m:
            return []
        labels = m.group(1).lower().split(".")
        for start in range(len(labels) - 1):  # edition.cnn.com, then cnn.com
            owners = self._domains.get(".".join(labels[start:]))
            if owners:
                return owners
        return []

    def _result(self, candidate: _Candidate, ambiguous_with: list[str]) -> RegistryMatch:
        return self._make_match(candidate.index, candidate.score, candidate.alias, ambiguous_with)

    def _make_match(
        self, index: int, score: float, alias: str, ambiguous_with: list[str]
    ) -> RegistryMatch:
        entry = self.entries[index]
        return RegistryMatch(
            id=entry.id,
            name=entry.name,
            type=entry.type,
            score=round(score, 1),
            alias=alias,
            reliability=list(self._ratings[index]),
            ambiguous_with=ambiguous_with,
        )

    def _near_ties(self, candidates: list[_Candidate]) -> list[str]:
        """Ids of the other entries of the best one's stage that score within the margin."""
        best = candidates[0]
        return [
            self.entries[c.index].id
            for c in candidates[1:]
            if c.stage == best.stage and c.score >= best.score - AMBIGUITY_MARGIN
        ]


_MISSING = object()


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)\s+(?:[Tt]he\s+)?$")


def _continues_a_name(text: str, start: int) -> bool:
    """Whether a capitalised word stands right before `start` (past a "the"): then the name
    found there is the end of a longer name the registry does not know."""
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return False
    word = m.group(1)
    if not word[0].isupper() or word.endswith(("'s", "’s", "'", "’")):
        return False  # lowercase, or a possessive ("Mr. Trump's RT appearance")
    return word.casefold().rstrip(".") not in _NOT_PART_OF_A_NAME


def _same_words_respelt(query: list[str], key: list[str]) -> bool:
    """True when a fuzzy hit is plausibly the same name: the words of one are the words of the
    other, give or take some, each starting with the same letter (a typo rarely hits the first
    letter; "Most Millennials" is not "Post Millennial"), and it is not just a plural of it
    ("Cable News Networks")."""
    if sorted(w.rstrip("s") for w in query) == sorted(w.rstrip("s") for w in key):
        return False
    first_query = Counter(w[0] for w in query)
    first_key = Counter(w[0] for w in key)
    return first_query <= first_key or first_key <= first_query


def _claim(table: dict[str, list[tuple[int, str]]], key: str, index: int, surface: str) -> None:
    owners = table.setdefault(key, [])
    if all(i != index for i, _ in owners):
        owners.append((index, surface))

"""The registry matcher: normalisation, exact/wrapped/fuzzy stages, guards against false
positives, ambiguity, mentions in running text, user registries, validation errors, the CLI."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from typer.testing import CliRunner

from attribaudit import registry as registry_module
from attribaudit.models import AttribauditError
from attribaudit.registry import (
    ENTRY_TYPES,
    FUZZY_CUTOFF,
    WRAPPED_SCORE,
    Registry,
    format_rating,
    load_registry,
    normalize,
    registry_clashes,
    validate_registry_file,
)


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def small_registry(tmp_path: Path, entries: str) -> Registry:
    body = textwrap.indent(textwrap.dedent(entries).strip("\n"), "  ")
    path = tmp_path / "small.yaml"
    path.write_text(f"registry: small\nentries:\n{body}\n", encoding="utf-8")
    return load_registry([path], include_default=False)


def matched_id(reg: Registry, name: str) -> str | None:
    match = reg.match(name)
    return match.id if match else None


# --------------------------------------------------------------------------- normalising


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Russian Interior Ministry", "russian interior ministry"),
        ("Russia’s Interior  Ministry", "russia interior ministry"),
        ("Russia's Interior Ministry", "russia interior ministry"),
        ('"the New York Times"', "new york times"),
        ("U.S. News & World Report", "us news and world report"),
        ("Agence France-Presse", "agence france presse"),
        ("Médecins Sans Frontières", "medecins sans frontieres"),
        ("Reuters'", "reuters"),
        ("theology", "theology"),  # only a whole leading "the" goes
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --------------------------------------------------------------------------- exact matches


@pytest.mark.parametrize(
    "name",
    [
        "the Russian Interior Ministry",
        "the Ministry of Internal Affairs",
        "the Russian Ministry of Internal Affairs",
        "Russia’s Interior Ministry",
        "MVD",
    ],
)
def test_russian_interior_ministry_forms_are_one_entry(reg: Registry, name: str) -> None:
    match = reg.match(name)
    assert match is not None
    assert (match.id, match.score, match.ambiguous_with) == (
        "ru-ministry-of-internal-affairs",
        100.0,
        [],
    )


def test_match_reports_the_alias_that_hit_and_the_rating_with_its_rater(reg: Registry) -> None:
    match = reg.match("the Russian Interior Ministry")
    assert match is not None and match.alias == "Russian Interior Ministry"
    assert match.type == "government"

    tass = reg.match("TASS")
    assert tass is not None and tass.alias == "TASS" and tass.type == "agency"
    assert tass.reliability == [
        {
            "rating": "no consensus",
            "rater": "Wikipedia RSP",
            "date": "2021-03-17",
            "source": "https://en.wikipedia.org/wiki/TASS",
        }
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kremlin", "kremlin"),
        ("the Kremlin", "kremlin"),
        ("Interpol", "interpol"),
        ("INTERPOL", "interpol"),
        ("Russia's Interpol National Central Bureau", "interpol-ncb-moscow"),
        ("the Interpol National Central Bureau in Russia", "interpol-ncb-moscow"),
        ("The New York Times", "new-york-times"),
        ("the State Department", "us-department-of-state"),
        ("his Justice Department", "us-department-of-justice"),
        ("Ukrainian Interior Ministry", "ua-ministry-of-internal-affairs"),
        ("TASS's", "tass"),
        ("[TASS]", "tass"),
    ],
)
def test_known_sources_resolve(reg: Registry, name: str, expected: str) -> None:
    assert matched_id(reg, name) == expected


def test_domains_resolve_with_or_without_scheme_and_subdomain(reg: Registry) -> None:
    assert matched_id(reg, "tass.com") == "tass"
    assert matched_id(reg, "https://www.reuters.com/world/europe/") == "reuters"
    match = reg.match("https://edition.cnn.com/2024/01/01/x")
    assert match is not None and (match.id, match.alias) == ("cnn", "cnn.com")


# --------------------------------------------------------------------------- acronyms


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AP", "associated-press"),
        ("the AP", "associated-press"),
        ("UN", "united-nations"),
        ("WHO", "world-health-organization"),
        ("FBI", "us-fbi"),
        ("ap", None),
        ("Ap", None),
        ("un", None),
        ("Un", None),
        ("who", None),
        ("Who", None),
        ("APs", None),  # acronyms never fuzzy-match
        ("UNI", "united-news-of-india"),
    ],
)
def test_acronyms_match_exactly_and_case_sensitively(
    reg: Registry, name: str, expected: str | None
) -> None:
    assert matched_id(reg, name) == expected


# --------------------------------------------------------------------------- false positives


@pytest.mark.parametrize(
    "name",
    [
        # people, named or by role
        "Valery Kalachev",
        "Vladimir Kolokoltsev",
        "Kalachev",
        "Kremlin spokesman Dmitry Peskov",
        "FBI Director James Comey",
        "White House press secretary Josh Earnest",
        "the head of the NCB",
        # pronouns
        "He",
        "he",
        "She",
        "they",
        "It",
        "We",
        "who",
        # generic and vague sources
        "officials",
        "Officials",
        "Officials in Moscow",
        "Russian officials",
        "critics",
        "Critics",
        "critics of the Kremlin",
        "the ministry",
        "The ministry",
        "The Interior Ministry",
        "police",
        "Police",
        "the campaign",
        "The campaign",
        "people",
        "People",
        "sources",
        "observers",
        # lowercase common nouns that happen to be outlet names
        "reason",
        "time",
        "history",
        # fragments and near shapes of registry names
        "Internal Affairs",
        "Independents",
        "Economists",
        "Insiders",
        "Most Millennials",
        "cable news networks",
        "Cable News Networks",
        # more than one source, or an affiliation rather than the body itself
        "TASS and Interfax",
        "the National Security Council",
        "a Kremlin-backed outlet",
        "sources close to the Kremlin",
    ],
)
def test_names_that_must_not_match(reg: Registry, name: str) -> None:
    assert reg.match(name) is None, reg.match(name)


def test_partial_scorers_would_have_matched_generic_heads() -> None:
    # Why the matcher uses token_sort_ratio: WRatio and token_set_ratio score a generic head
    # noun against a longer name at or above the cutoff, token_sort_ratio does not.
    generic, name = "ministry", normalize("Ministry of Internal Affairs")
    assert fuzz.WRatio(generic, name) >= FUZZY_CUTOFF
    assert fuzz.token_set_ratio(generic, name) >= FUZZY_CUTOFF
    assert fuzz.token_sort_ratio(generic, name) < FUZZY_CUTOFF


# --------------------------------------------------------------------------- wrapped and fuzzy


@pytest.mark.parametrize(
    ("name", "expected", "alias"),
    [
        ("the Reuters news agency", "reuters", "Reuters"),
        ("Russia's state news agency TASS", "tass", "TASS"),
        ("state-run RIA Novosti", "ria-novosti", "RIA Novosti"),
        ("a State Department spokesman", "us-department-of-state", "State Department"),
        ("A reporter for Agence France-Presse", "agence-france-presse", "Agence France-Presse"),
        ("Time magazine", "time", "Time"),
    ],
)
def test_names_inside_descriptor_words(reg: Registry, name: str, expected: str, alias: str) -> None:
    match = reg.match(name)
    assert match is not None
    assert (match.id, match.score, match.alias) == (expected, WRAPPED_SCORE, alias)


@pytest.mark.parametrize(
    ("name", "expected", "alias"),
    [
        ("Assocated Press", "associated-press", "Associated Press"),
        ("The Wall Street Journa", "wall-street-journal", "The Wall Street Journal"),
        (
            "Russian Interior Minstry",
            "ru-ministry-of-internal-affairs",
            "Russian Interior Ministry",
        ),
    ],
)
def test_misspellings_match_fuzzily_below_100(
    reg: Registry, name: str, expected: str, alias: str
) -> None:
    match = reg.match(name)
    assert match is not None
    assert (match.id, match.alias) == (expected, alias)
    assert FUZZY_CUTOFF <= match.score < 100


# --------------------------------------------------------------------------- ambiguity


def test_shared_acronym_is_reported_as_ambiguous(reg: Registry) -> None:
    match = reg.match("CSM")
    assert match is not None
    assert {match.id, *match.ambiguous_with} == {"christian-science-monitor", "common-sense-media"}


def test_near_tie_between_fuzzy_candidates_is_ambiguous(reg: Registry) -> None:
    # Several countries have an Interpol National Central Bureau: the bare name is not guessed.
    match = reg.match("Interpol National Central Bureau")
    assert match is not None
    assert match.ambiguous_with
    assert {match.id, *match.ambiguous_with} <= {
        "interpol-ncb-moscow",
        "interpol-ncb-washington",
        "interpol-ncb-kyiv",
    }


def test_exact_hit_is_not_made_ambiguous_by_close_fuzzy_candidates(tmp_path: Path) -> None:
    reg = small_registry(
        tmp_path,
        """
        - {id: north-ministry, name: North Ministry of Affairs, type: government, provenance: test}
        - {id: south-ministry, name: North Ministry of Affair, type: government, provenance: test}
        """,
    )
    match = reg.match("North Ministry of Affairs")
    assert match is not None and (match.id, match.ambiguous_with) == ("north-ministry", [])
    # A name halfway between the two is a near tie.
    halfway = reg.match("North Ministri of Affairs")
    assert halfway is not None and halfway.ambiguous_with


def test_alias_shared_by_two_entries_is_ambiguous(tmp_path: Path) -> None:
    reg = small_registry(
        tmp_path,
        """
        - {id: a-office, name: Alpha Office, aliases: [Foreign Office], type: ngo, provenance: t}
        - {id: b-office, name: Beta Office, aliases: [Foreign Office], type: ngo, provenance: t}
        """,
    )
    match = reg.match("the Foreign Office")
    assert match is not None
    assert (match.id, match.ambiguous_with) == ("a-office", ["b-office"])


# --------------------------------------------------------------------------- lookup and cache


def test_lookup_lists_near_misses_best_first(reg: Registry) -> None:
    candidates = reg.lookup("Interpol National Central Bureau", limit=3)
    assert len(candidates) == 3
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert candidates[0].ambiguous_with  # the first carries what match() would report
    assert all(not c.ambiguous_with for c in candidates[1:])
    assert reg.lookup("Valery Kalachev") == []
    assert reg.lookup("Reuters", limit=1)[0].id == "reuters"


def test_match_results_are_cached(reg: Registry) -> None:
    first = reg.match("the Reuters news agency")
    assert first is not None
    assert reg.match("the Reuters news agency") is first


# --------------------------------------------------------------------------- mentions


SEED_CREDIT = (
    "Attribution: summarized from statements reported by TASS and official channels of the "
    "Ministry of Internal Affairs, reflecting Moscow’s position within ongoing international "
    "discussions about Interpol’s role and governance."
)


def test_find_mentions_in_the_seed_credit_line(reg: Registry) -> None:
    mentions = reg.find_mentions(SEED_CREDIT)
    assert [(SEED_CREDIT[s:e], m.id) for s, e, m in mentions] == [
        ("TASS", "tass"),
        ("Ministry of Internal Affairs", "ru-ministry-of-internal-affairs"),
        ("Interpol", "interpol"),
    ]


def test_find_mentions_prefers_the_longest_name(reg: Registry) -> None:
    text = "Officials at the Interpol National Central Bureau in Russia said so."
    mentions = reg.find_mentions(text)
    assert [(text[s:e], m.id) for s, e, m in mentions] == [
        ("Interpol National Central Bureau in Russia", "interpol-ncb-moscow")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the ap said and so did the un", []),  # acronyms are case-sensitive
        ("REUTERS reported", ["reuters"]),
        ("Hindu nationalists marched", []),  # "The Hindu" needs its "The"
        ("the Hindu community", []),
        ("across the Atlantic", []),
        ("as The Hindu reported", ["hindu"]),
        ("the ministry of internal affairs said", []),  # names start with a capital
        ("Russia’s Interior  Ministry said", ["ru-ministry-of-internal-affairs"]),
        ("Agence France Presse and AFP", ["agence-france-presse", "agence-france-presse"]),
        ("the Vice President said", []),
        ("TASSes", []),
        # the tail of a longer capitalised name is not the registry's name
        ("the National Security Council met", []),
        ("on Face the Nation, he said", []),
        ("the UN Security Council met", ["un-security-council"]),
        ("Mr. Trump's RT appearance", ["rt"]),  # a possessive is not part of the name
        ("The Israeli newspaper Haaretz", ["haaretz"]),
        ("Source: TASS", ["tass"]),
        # generic words are not sources even when an outlet is called that
        ("People disagree about it.", []),
    ],
)
def test_find_mentions_word_and_case_rules(reg: Registry, text: str, expected: list[str]) -> None:
    assert [m.id for _, _, m in reg.find_mentions(text)] == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("AaBTSPUN eRuitsr’'.-\nInterpolKremlin"), max_size=60))
def test_matching_never_fails_and_mentions_stay_in_bounds(text: str) -> None:
    reg = _shared_registry()
    reg.match(text)
    reg.lookup(text)
    last_end = 0
    for start, end, match in reg.find_mentions(text):
        assert last_end <= start < end <= len(text)
        assert match.id in reg.by_id
        last_end = end


_REGISTRY: list[Registry] = []


def _shared_registry() -> Registry:
    if not _REGISTRY:
        _REGISTRY.append(load_registry())
    return _REGISTRY[0]


# --------------------------------------------------------------------------- user registries


USER_REGISTRY = """
registry: newsroom
description: Our own sources.
entries:
  - id: city-hall-press-office
    name: City Hall Press Office
    type: government
    aliases: [Mayor's Office]
    country: GB
    provenance: newsroom list
  - id: tass
    name: TASS Russian News Agency
    type: agency
    acronyms: [TASS]
    reliability:
      - {rating: use with care, rater: Newsroom standards desk, date: 2024-05-01}
    provenance: newsroom list
"""


def test_user_registry_adds_entries_and_replaces_by_id(tmp_path: Path) -> None:
    path = write(tmp_path / "newsroom.yaml", USER_REGISTRY)
    shipped = load_registry()
    reg = load_registry([path])
    assert len(reg) == len(shipped) + 1
    assert matched_id(reg, "the Mayor's Office") == "city-hall-press-office"
    tass = reg.match("TASS")
    assert tass is not None and tass.name == "TASS Russian News Agency"
    # An unquoted YAML date is accepted and reported as text.
    assert tass.reliability == [
        {"rating": "use with care", "rater": "Newsroom standards desk", "date": "2024-05-01"}
    ]
    assert reg.match("ITAR-TASS") is None  # the shipped entry's acronyms went with it
    assert reg.fingerprint() != shipped.fingerprint()
    assert load_registry().fingerprint() == shipped.fingerprint()


def test_guards_hold_whatever_a_user_registry_says(tmp_path: Path) -> None:
    reg = small_registry(
        tmp_path,
        """
        - {id: city-police, name: Police, aliases: [Officials, He], type: government, provenance: t}
        """,
    )
    for name in ("Police", "police", "the police", "Officials", "He", "he"):
        assert reg.match(name) is None, name
    assert reg.find_mentions("Police said. Officials agreed. He left.") == []


def test_format_rating_names_the_rater() -> None:
    assert (
        format_rating({"rating": "generally reliable", "rater": "Wikipedia RSP", "date": "2021"})
        == "rated generally reliable by Wikipedia RSP (2021)"
    )
    scoped = {"rating": "no consensus", "rater": "R", "date": "2021-03-17", "scope": "politics"}
    assert format_rating(scoped) == "rated no consensus by R (2021-03-17) for politics"


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            """
            registry: bad
            entries:
              - id: ok-entry
                name: Fine
                type: outlet
                provenance: t
              - id: bad-type
                name: Broken
                type: newspaper
                provenance: t
            """,
            9,
            "entries.1.type",
        ),
        (
            """
            registry: bad
            entries:
              - id: Not_Kebab
                name: Broken
                type: outlet
                provenance: t
            """,
            3,
            "entries.0.id",
        ),
        (
            """
            registry: bad
            entries:
              - id: norway-agency
                name: Norwegian Agency
                type: agency
                country: NO
                provenance: t
            """,
            6,
            "quote the country code",
        ),
        (
            """
            registry: bad
            entries:
              - id: twice
                name: One
                type: outlet
                provenance: t
              - id: twice
                name: Two
                type: outlet
                provenance: t
            """,
            7,
            "duplicate registry id 'twice' (first at line 3)",
        ),
        (
            """
            registry: bad
            entries:
              - id: rated
                name: Rated
                type: outlet
                reliability:
                  - {rating: fine}
                provenance: t
            """,
            7,
            "rater",
        ),
        (
            """
            registry: bad
            entries:
              - id: url
                name: Url
                type: outlet
                domains: [https://example.com/about]
                provenance: t
            """,
            6,
            "not a host name",
        ),
        ("registry: bad\nentries: [\n", 2, "invalid YAML"),
    ],
)
def test_invalid_files_name_file_and_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    path = write(tmp_path / "bad.yaml", body)
    with pytest.raises(AttribauditError) as caught:
        validate_registry_file(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert words in caught.value.message
    with pytest.raises(AttribauditError):
        load_registry([path])


def test_validate_counts_entries_and_rejects_missing_or_empty_files(tmp_path: Path) -> None:
    assert validate_registry_file(write(tmp_path / "ok.yaml", USER_REGISTRY)) == 2
    with pytest.raises(AttribauditError, match="file not found"):
        validate_registry_file(tmp_path / "missing.yaml")
    with pytest.raises(AttribauditError, match="empty"):
        validate_registry_file(write(tmp_path / "empty.yaml", "# nothing\n"))


# A desk's file whose first entry claims what shipped entries claim: Reuters' name as an alias
# (line 6), TASS's acronym (line 7), the BBC's domain (line 8); its second entry repeats the
# first's acronym (line 13).
CLASHING_REGISTRY = """
registry: desk
entries:
  - id: tass-local
    name: Tass Local News
    type: outlet
    aliases: [Reuters]
    acronyms: [TASS]
    domains: [bbc.com]
    provenance: desk
  - id: tass-weekly
    name: Tass Weekly
    type: outlet
    acronyms: [TASS]
    provenance: desk
"""
# The same file with the shipped TASS replaced by id: its acronym is then the desk's to give.
REPLACING = (
    CLASHING_REGISTRY
    + """\
  - id: tass
    name: TASS Russian News Agency
    type: agency
    provenance: desk
"""
)


def test_validate_reports_names_a_user_entry_shares_with_another(tmp_path: Path) -> None:
    path = write(tmp_path / "desk.yaml", CLASHING_REGISTRY)
    clashes = registry_clashes(path)
    assert [(c.path, c.line) for c in clashes] == [(str(path), n) for n in (6, 7, 8, 13)]
    reuters, tass, bbc, twice = (c.message for c in clashes)
    assert reuters.startswith(
        "alias 'Reuters' of 'tass-local' is also claimed by the shipped entry 'reuters' "
        "(agencies.yaml)"
    )
    assert "ambiguous" in reuters
    assert tass.startswith("acronym 'TASS' of 'tass-local' is also claimed by the shipped entry")
    assert bbc.startswith("domain 'bbc.com' of 'tass-local' is also claimed by the shipped entry")
    assert twice.startswith("acronym 'TASS' of 'tass-weekly' is also claimed by the shipped")


def test_an_entry_replaced_by_id_claims_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "desk.yaml", REPLACING)
    clashes = registry_clashes(path)
    assert [c.line for c in clashes] == [6, 8, 13]
    # With the shipped TASS gone, the second TASS clashes with the file's own first one.
    assert clashes[2].message.startswith(
        "acronym 'TASS' of 'tass-weekly' is also claimed by 'tass-local' at line 7:"
    )


def test_validate_finds_no_clash_in_a_file_of_its_own_names(tmp_path: Path) -> None:
    assert registry_clashes(write(tmp_path / "ok.yaml", USER_REGISTRY)) == []
    # A shipped file's entries are the shipped ones (by id): they clash with nothing else.
    agencies = registry_module.registry_dir() / "agencies.yaml"
    assert registry_clashes(agencies) == []


def test_loading_the_shipped_registry_is_fast() -> None:
    registry_module._FILE_CACHE.clear()
    started = time.perf_counter()
    reg = load_registry()
    reg.match("the Reuters news agency")  # builds the mention index too
    elapsed = time.perf_counter() - started
    # ~50 ms on a laptop; the bound only catches an order-of-magnitude regression.
    assert elapsed < 0.5, f"loading and first match took {elapsed * 1000:.0f} ms"


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    from attribaudit.cli import _register

    _register()
    return CliRunner(env={"COLUMNS": "200"})


def invoke(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    from attribaudit.cli import app

    return runner.invoke(app, ["registry", *args])


def test_cli_entry_type_choices_follow_the_schema() -> None:
    from attribaudit.cli.registry import EntryType

    assert tuple(t.value for t in EntryType) == ENTRY_TYPES


def test_cli_lookup_json(runner: CliRunner) -> None:
    result = invoke(runner, "lookup", "the Russian Interior Ministry", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["match"]["id"] == "ru-ministry-of-internal-affairs"
    assert payload["match"]["alias"] == "Russian Interior Ministry"
    assert payload["match"]["ambiguous"] is False
    assert payload["candidates"][0]["id"] == "ru-ministry-of-internal-affairs"


def test_cli_lookup_table_shows_resolution_ambiguity_and_rater(runner: CliRunner) -> None:
    result = invoke(runner, "lookup", "Reuters")
    assert result.exit_code == 0, result.output
    assert "resolves to reuters" in result.stdout
    assert "rated generally reliable by Wikipedia RSP (2021-03-17)" in result.stdout

    ambiguous = invoke(runner, "lookup", "CSM")
    assert "ambiguous" in ambiguous.stdout and "common-sense-media" in ambiguous.stdout

    none = invoke(runner, "lookup", "Valery Kalachev")
    assert none.exit_code == 0 and "No registry entry matches" in none.stdout


def test_cli_list_filters_by_type(runner: CliRunner) -> None:
    result = invoke(runner, "list", "--type", "agency", "--format", "json")
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert {entry["type"] for entry in entries} == {"agency"}
    assert "tass" in {entry["id"] for entry in entries}
    table = invoke(runner, "list", "--type", "government")
    assert table.exit_code == 0 and "ru-ministry-of-internal-affairs" in table.stdout


def test_cli_list_with_only_a_user_registry(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "newsroom.yaml", USER_REGISTRY)
    result = invoke(runner, "list", "--no-default", "--registry", str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    assert [e["id"] for e in json.loads(result.stdout)] == ["city-hall-press-office", "tass"]


def test_cli_validate_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", USER_REGISTRY)
    bad = write(
        tmp_path / "bad.yaml",
        "registry: x\nentries:\n  - id: a\n    name: A\n    type: blog\n    provenance: t\n",
    )
    ok = invoke(runner, "validate", str(good))
    assert ok.exit_code == 0 and f"{good}: 2 entries" in ok.stdout

    failed = invoke(runner, "validate", str(good), str(bad))
    assert failed.exit_code == 2
    assert f"{good}: 2 entries" in failed.stdout
    assert f"{bad}:5: invalid registry: entries.0.type" in failed.stderr


def test_cli_validate_warns_of_a_clash_with_the_shipped_registry(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path / "desk.yaml", CLASHING_REGISTRY)
    result = invoke(runner, "validate", str(path))
    # A warning, not an error: sharing an acronym can be true (CSM is two shipped outlets'),
    # and look-ups then say "ambiguous"; but the user should know before their checks do.
    assert result.exit_code == 0, result.output
    assert f"{path}: 2 entries (4 warnings)" in result.stdout
    assert (
        f"attribaudit: warning: {path}:7: acronym 'TASS' of 'tass-local' is also claimed by "
        "the shipped entry 'tass' (agencies.yaml)"
    ) in result.stderr
    assert len(result.stderr.splitlines()) == 4


def test_cli_bad_user_registry_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "lookup", "TASS", "--registry", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert "missing.yaml: file not found" in result.stderr


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab AB-‐‑–‒—\n\t\u00a0_", max_size=10))
def test_separator_in_names_matches_what_the_plain_class_matches(text: str) -> None:
    import re

    plain = re.compile(rf"(?i:a{registry_module._SEPARATOR_RE}b)(?!\w)")
    fast = re.compile(rf"(?i:a{registry_module._SEPARATOR_IN_NAME}b)(?!\w)")
    for start in range(len(text) + 1):
        a, b = plain.match(text, start), fast.match(text, start)
        assert (a and a.span()) == (b and b.span())


def test_separator_in_names_spans_every_dash() -> None:
    registry = load_registry([])
    spaced = [m.id for _, _, m in registry.find_mentions("A report by Radio Free Europe today.")]
    assert spaced
    for dash in "-‐‑–":
        found = registry.find_mentions(f"A report by Radio{dash}Free {dash} Europe today.")
        assert [m.id for _, _, m in found] == spaced


def test_folds_to_ascii_lists_what_re_matches_against_ascii_ignoring_case() -> None:
    import re

    beyond_ascii = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    folding = set(re.findall(r"(?i)[\x00-\x7f]", beyond_ascii))
    assert folding == set(registry_module._FOLDS_TO_ASCII)


_GROUP_WORDS = ["Radio", "RADIO", "radio", "Free", "FREE", "Europe", "Europe,", "Europeans"]
_GROUP_WORDS += ["Liberty", "U.S.", "U.S", "News", "Hindu", "The", "the", "Reuters", "E!", "s"]
_GROUP_GLUE = [" ", "  ", "-", " – ", "‐", "\u00a0", "\t", "’", "'", ".", ",", "_", "—", "é"]
_GROUP_GLUE += ["ı", "İ", "ſ", "\u212a", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_GROUP_WORDS + _GROUP_GLUE), max_size=12))
def test_name_group_finds_what_its_regex_finds(pieces: list[str]) -> None:
    """`_NameGroup.end_at` compares folded words instead of compiling the group's regex; at
    every capitalised word both must find the same longest name."""
    text = "".join(pieces)
    groups = [
        registry_module._NameGroup(
            {"Radio Free Europe", "Radio Free", "Radio Liberty", "Radio Free Europe's E!"},
            set(),
        ),
        registry_module._NameGroup({"U.S. News", "U.S"}, set()),
        registry_module._NameGroup({"Reuters"}, {"Hindu"}),
        registry_module._NameGroup({"Radio Free Europe", "Radio Télé"}, set()),
    ]
    for word in registry_module._CAPITALISED.finditer(text):
        for group in groups:
            expected = max(
                (m.end() for p in group.compiled() if (m := p.match(text, word.start()))),
                default=-1,
            )
            assert group.end_at(text, word.start()) == expected, (text, word.start())


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_as_a_registry_is_refused_not_read_forever() -> None:
    # --registry /dev/zero never returned.
    with pytest.raises(AttribauditError, match="larger than") as caught:
        load_registry([Path("/dev/zero")])
    assert caught.value.path == "/dev/zero"

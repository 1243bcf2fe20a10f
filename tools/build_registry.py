#!/usr/bin/env python3
"""Build registry/outlets.yaml from the Wikipedia perennial-sources snapshot.

Usage (from the repository root):

    python tools/build_registry.py [--csv ../shared/data/wp-rsp-perennial-sources-2021.csv]
                                   [--out registry/outlets.yaml] [--check]

The snapshot (CC BY-SA, taken 2021-03-17) is a table of sources with their Wikipedia editors'
reliability status. We keep only facts: the name, the aliases and acronyms the name column lists
in parentheses, the domains, the status labels and the Wikipedia article each row links to. The
prose summary column is never read.

How a row becomes an entry:

- Parenthesised groups in the name are scopes ("general topics", "pre-2013": they qualify the
  rating), the "(UK)" disambiguator (it sets the country), or alias lists. Alias items written
  in capitals ("AFP", "ITAR-TASS") become acronyms, which the matcher treats case-sensitively.
- Rows that link the same Wikipedia article (Fox News has three, scoped by topic) merge into one
  entry with one rating per row and label, each rating carrying its scope.
- Rows whose article is already rated in a hand-curated file (agencies.yaml rates TASS and AFP
  with the same Wikipedia RSP facts) are not generated again: the curated entry owns them, and
  this script fails when the curated rating disagrees with the snapshot.
- Each status label becomes a rating {rating, rater: "Wikipedia RSP", date, source}; a label the
  snapshot garbled (one row has a link title instead of a status) gives no rating.

The tool never reads the CSV at run time: the generated YAML is committed. Re-run this script
and commit the result when the snapshot or the rules here change; `--check` exits 1 when the
committed file is stale (for CI).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO.parent / "shared" / "data" / "wp-rsp-perennial-sources-2021.csv"
DEFAULT_OUT = REPO / "registry" / "outlets.yaml"

RATER = "Wikipedia RSP"
SNAPSHOT_DATE = "2021-03-17"

# The snapshot's status labels, as the rating words we report ("rated X by Wikipedia RSP").
STATUS_LABELS = {
    "Generally reliable": "generally reliable",
    "Generally unreliable": "generally unreliable",
    "No consensus": "no consensus",
    "Deprecated": "deprecated",
    "Blacklisted": "blacklisted",
}

# A group that is a country disambiguator rather than an alias.
DISAMBIGUATORS = {"UK": "GB"}

# Alias items dropped on purpose, with the reason. Everything else the name column lists is kept.
DROP_ALIASES = {
    "SA": "two letters that usually mean South Africa or Saudi Arabia in news copy",
    "TF": "two letters with many other meanings",
    "ZH": "two letters with many other meanings",
    "EI": "two letters with many other meanings",
    "NR": "two letters with many other meanings",
    "Vice": "matches every 'Vice President'",
    "Garage": "an ordinary word",
    "i-D": "too short: matches stray letters",
    "House of Commons": "names a chamber of Parliament, not its Hansard record",
    "House of Lords": "names a chamber of Parliament, not its Hansard record",
}

# The snapshot's own name is ambiguous with a place: we add the kind, as Wikipedia's title does.
NAME_OVERRIDES = {"New York": "New York magazine"}
# Ids that the name would make too short to read.
ID_OVERRIDES = {"E!": "e-entertainment-television"}

# Entries that are not news outlets (the default type), by Wikipedia article title.
TYPE_OVERRIDES = {
    "ngo": {
        "Anti-Defamation_League",
        "Cato_Institute",
        "Center_for_Economic_and_Policy_Research",
        "Centre_for_Research_on_Globalization",
        "CESNUR",
        "Common_Sense_Media",
        "Fairness_and_Accuracy_in_Reporting",
        "Hope_not_Hate",
        "International_Fact-Checking_Network",
        "Media_Matters_for_America",
        "Media_Research_Center",
        "Middle_East_Media_Research_Institute",
        "Pew_Research_Center",
        "Southern_Poverty_Law_Center",
        "FamilySearch",
    },
    "company": {
        "Advameg",
        "Amazon_(company)",
        "Ancestry.com",
        "Blogger_(service)",
        "Crunchbase",
        "Dotdash",
        "Facebook",
        "Find_a_Grave",
        "Findmypast",
        "Flickr",
        "Geni.com",
        "Goodreads",
        "Google_Maps",
        "LinkedIn",
        "LiveJournal",
        "Lulu.com",
        "MyLife",
        "Quora",
        "Reddit",
        "ResearchGate",
        "Scribd",
        "Stack_Exchange",
        "Twitter",
        "WordPress.com",
        "YouTube",
        "ZoomInfo",
        "PR_Newswire",
        "Medium_(website)",
    },
    "government": {"Hansard"},
    "other": {"Scriptural_texts", "Peerage"},
}

# Hosts in the snapshot's URL column that are references about a source, not the source's site.
THIRD_PARTY_HOSTS = (
    "wikidata.org",
    "wikipedia.org",
    "wikisource.org",
    "wiktionary.org",
    "loc.gov",
    "nasdaq.com",
    "nyse.com",
    "youtube.com",
    "toolforge.org",
    "jstor.org",
    "nih.gov",
    "scopus.com",
    "issn.org",
    "psu.edu",
    "ams.org",
    "washington.edu",
    "github.io",
    "ub.edu",
    "cas.org",
    "fubo.tv",
    "hotstar.com",
)

HEADER = """\
# GENERATED by tools/build_registry.py: do not edit by hand; edit the script and re-run it.
#
# Source: Wikipedia, "Wikipedia:Reliable sources/Perennial sources", snapshot of 2021-03-17,
# https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources
# Text of Wikipedia is available under the Creative Commons Attribution-ShareAlike License
# (CC BY-SA); this file carries facts from that table (names, aliases, domains, status labels)
# and is shared under the same terms. The table's prose summaries are not included.
#
# A rating here records Wikipedia editors' consensus for Wikipedia's own purposes, as of the
# snapshot date. attribaudit reports it as "rated X by Wikipedia RSP (date)", never as its own
# verdict on a source.
"""

_GROUP = re.compile(r"\s*\(([^()]*)\)")


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"^the\s+", "", text.replace("'", "").replace("’", ""))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def is_acronym(item: str) -> bool:
    """Written in capitals, one word: 'AFP', 'ITAR-TASS', 'ТАСС' (not 'WaPo', not 'E! News')."""
    return " " not in item and item.isupper() and len(item) <= 10


def is_scope(group: str) -> bool:
    """'general topics', 'pre-2013', '12 March 2014–present': they qualify a rating."""
    first = group[:1]
    return first.isdigit() or (first.islower() and "." not in group)


def clean_domains(urls: Iterable[str]) -> list[str]:
    domains: list[str] = []
    for url in urls:
        host = url.strip().lstrip("/").split("/", 1)[0].lower()
        host = host.removeprefix("www.")
        if not host or any(host == h or host.endswith("." + h) for h in THIRD_PARTY_HOSTS):
            continue
        if host not in domains:
            domains.append(host)
    return domains


def wiki_title(url: str) -> str:
    return unquote(url.rsplit("/wiki/", 1)[-1])


def parse_row(row: dict[str, str]) -> dict:
    raw = row["name"].strip()
    groups = _GROUP.findall(raw)
    base = _GROUP.sub("", raw).strip()
    aliases: list[str] = []
    acronyms: list[str] = []
    scopes: list[str] = []
    disambiguator = None
    for group in groups:
        group = group.strip().strip('"')
        if group in DISAMBIGUATORS:
            disambiguator = group
        elif is_scope(group):
            scopes.append(group)
        else:
            for item in (part.strip().strip('"') for part in group.split(",")):
                if not item or item in DROP_ALIASES:
                    continue
                target = acronyms if is_acronym(item) else aliases
                if item not in target:
                    target.append(item)
    statuses = json.loads(row["status"])
    return {
        "row": int(row["id"]),
        "base": base,
        "disambiguator": disambiguator,
        "aliases": aliases,
        "acronyms": acronyms,
        "scope": ", ".join(scopes) or None,
        "labels": [STATUS_LABELS[s] for s in statuses if s in STATUS_LABELS],
        "unknown_labels": [s for s in statuses if s not in STATUS_LABELS],
        "wiki": row["wiki_url"].strip(),
        "domains": clean_domains(json.loads(row["urls"])),
    }


def entry_type(title: str) -> str:
    for kind, titles in TYPE_OVERRIDES.items():
        if title in titles:
            return kind
    return "outlet"


def merge(parsed: list[dict]) -> dict:
    """One entry from the rows that link the same Wikipedia article."""
    first = parsed[0]
    name = NAME_OVERRIDES.get(first["base"], first["base"])
    aliases: list[str] = []
    acronyms: list[str] = []
    domains: list[str] = []
    reliability: list[dict] = []
    for row in parsed:
        for value, target in (
            (row["aliases"], aliases),
            (row["acronyms"], acronyms),
            (row["domains"], domains),
        ):
            target.extend(v for v in value if v not in target)
        if row["base"] != first["base"] and row["base"] not in aliases:
            aliases.append(row["base"])
        for label in row["labels"]:
            rating = {"rating": label, "rater": RATER, "date": SNAPSHOT_DATE, "source": row["wiki"]}
            if row["scope"]:
                rating["scope"] = row["scope"]
            reliability.append(rating)
    if name != first["base"]:
        # The bare name is ambiguous (see NAME_OVERRIDES): it must not become a match key.
        aliases = [a for a in aliases if a != first["base"]]
    # A name written in capitals is an acronym too ("RT", "CNN"): matched case-sensitively.
    if is_acronym(name) and name not in acronyms:
        acronyms.insert(0, name)
    rows = ("rows " if len(parsed) > 1 else "row ") + ", ".join(str(r["row"]) for r in parsed)
    disambiguator = first["disambiguator"]
    entry_id = ID_OVERRIDES.get(name) or slug(name)
    if disambiguator:
        entry_id += "-" + slug(disambiguator)
    return {
        "id": entry_id,
        "name": name,
        "type": entry_type(wiki_title(first["wiki"])),
        "aliases": aliases,
        "acronyms": acronyms,
        "country": DISAMBIGUATORS.get(disambiguator or ""),
        "domains": domains,
        "reliability": reliability,
        "provenance": f"Wikipedia RSP snapshot {SNAPSHOT_DATE} (CC BY-SA), {rows}"
        + ("; the snapshot gives no status" if not reliability else ""),
    }


def curated_ratings(
    registry_dir: Path, generated: Path
) -> dict[str, list[tuple[str, str | None, str]]]:
    """Wikipedia article URL -> (rating, scope, file) of every RSP rating in the curated files."""
    owned: dict[str, list[tuple[str, str | None, str]]] = {}
    for path in sorted(registry_dir.glob("*.yaml")):
        if path.resolve() == generated.resolve():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries") or []:
            for rating in entry.get("reliability") or []:
                if rating.get("rater") == RATER and rating.get("source"):
                    owned.setdefault(rating["source"], []).append(
                        (rating["rating"], rating.get("scope"), f"{path.name}:{entry['id']}")
                    )
    return owned


def build(csv_path: Path, out: Path) -> tuple[str, list[str]]:
    """The YAML text for `out`, and the problems found (curated ratings that disagree)."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = [parse_row(row) for row in csv.DictReader(handle)]
    owned = curated_ratings(out.parent, out)
    problems: list[str] = []
    by_article: dict[str, list[dict]] = {}
    for row in rows:
        if row["unknown_labels"]:
            print(
                f"note: row {row['row']} ({row['base']}): no rating for status "
                f"{row['unknown_labels']}",
                file=sys.stderr,
            )
        by_article.setdefault(row["wiki"], []).append(row)
    entries = []
    for wiki, parsed in by_article.items():
        if wiki in owned:
            want = sorted(
                (label, row["scope"] or None) for row in parsed for label in row["labels"]
            )
            have = sorted((rating, scope) for rating, scope, _ in owned[wiki])
            if want != have:
                where = ", ".join(sorted({w for _, _, w in owned[wiki]}))
                problems.append(f"{where}: Wikipedia RSP ratings {have} != snapshot {want}")
            continue
        entries.append(merge(parsed))
    entries.sort(key=lambda e: e["id"])
    # Empty fields are left out (the schema's defaults): a smaller file loads faster.
    entries = [{k: v for k, v in e.items() if v not in ([], None)} for e in entries]
    ids = [e["id"] for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    document = {
        "registry": "outlets",
        "description": "Publications and websites rated in Wikipedia's perennial-sources table "
        f"(snapshot {SNAPSHOT_DATE}), with the ratings' provenance.",
        "entries": entries,
    }
    body = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=200, default_flow_style=None
    )
    return HEADER + "\n" + body, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --out is out of date")
    args = parser.parse_args(argv)
    text, problems = build(args.csv, args.out)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run tools/build_registry.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10) + '- id: ')} entries)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`attribaudit rules list / show / test`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..models import AttribauditError
from . import app, error_exit

rules_app = typer.Typer(help="List, show and test the rules in force.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class ListFormat(StrEnum):
    table = "table"
    json = "json"


RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Extra rule pack: a YAML file or a folder of them."),
]


def _ruleset(extra: list[Path] | None):
    from ..rules import load_rules

    try:
        return load_rules(extra or [])
    except AttribauditError as exc:
        raise error_exit(exc) from None


@rules_app.command("list")
def list_rules(
    rules: RulesOption = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table for people, json for tools.")
    ] = ListFormat.table,
) -> None:
    """List every rule with its category, default severity and summary."""
    import json

    from ..suppress import DIRECTIVE_RULES

    infos = _ruleset(rules).infos() + list(DIRECTIVE_RULES)
    if fmt is ListFormat.json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": i.id,
                        "category": i.category,
                        "severity": i.severity.value if i.severity else None,
                        "summary": i.summary,
                        "pack": i.pack,
                    }
                    for i in infos
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("id", "category", "severity", "summary"):
        table.add_column(column)
    for i in sorted(infos, key=lambda i: (i.category, i.id)):
        table.add_row(i.id, i.category, i.severity.value if i.severity else "", i.summary)
    Console().print(table)


@rules_app.command("show")
def show_rule(
    rule_id: Annotated[str, typer.Argument(help="A rule id, as `rules list` shows it.")],
    rules: RulesOption = None,
) -> None:
    """Show one rule: its description, parameters, file, and examples."""
    import yaml

    ruleset = _ruleset(rules)
    if rule_id not in ruleset.rules:
        raise error_exit(AttribauditError(f"no rule {rule_id!r} (see `attribaudit rules list`)"))
    rule = ruleset.get(rule_id)
    path, line = ruleset.where(rule_id)
    typer.echo(f"{rule.id}  ({rule.category}, matcher {rule.matcher})")
    typer.echo(f"defined in {path}:{line}")
    if rule.severity:
        typer.echo(f"default severity: {rule.severity}")
    if rule.kind:
        typer.echo(f"attribution kind: {rule.kind}")
    typer.echo("")
    typer.echo(rule.summary)
    typer.echo("")
    typer.echo(rule.description.strip())
    if rule.params:
        typer.echo("\nparameters:")
        typer.echo(
            "  "
            + yaml.safe_dump(_plain(rule.params), allow_unicode=True, sort_keys=False)
            .strip()
            .replace("\n", "\n  ")
        )
    typer.echo("\nexamples:")
    for example in rule.examples:
        mark = "fires " if example.match else "silent"
        typer.echo(f"  {mark}  {example.text!r}")
        for key, value in example.expect.items():
            typer.echo(f"            {key}: {value!r}")


@rules_app.command("test")
def test_rules(
    pack: Annotated[
        Path | None,
        typer.Argument(
            help="Test only this pack (file or folder), loaded on top of the shipped rules."
        ),
    ] = None,
    select: Annotated[
        str | None, typer.Option("-k", help="Only rules whose id contains this text.")
    ] = None,
) -> None:
    """Run the examples written inside the rule files; exit 1 if any fails."""
    from ..engine import Engine, EngineOptions
    from ..rules import pack_files
    from ..rules.testing import run_examples

    try:
        engine = Engine(EngineOptions(rule_paths=[pack] if pack else []))
        wanted = None
        if pack is not None:
            files = {str(p) for p in pack_files(pack)}
            wanted = {r for r, lr in engine.rules.rules.items() if str(lr.path) in files}
    except AttribauditError as exc:
        raise error_exit(exc) from None
    chosen = [
        lr.rule
        for rid, lr in engine.rules.rules.items()
        if (wanted is None or rid in wanted) and (select is None or select in rid)
    ]
    results = run_examples(engine, chosen)
    failed = [r for r in results if not r.passed]
    for r in failed:
        typer.echo(f"FAIL {r.case_id}: {r.example.text!r}: {r.message}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    raise typer.Exit(1 if failed else 0)


def _plain(value: object) -> object:
    """`value` with the loader's line-keeping containers (LineDict, LineList) made plain dicts
    and lists, which yaml's safe dumper can write."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value

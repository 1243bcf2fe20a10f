"""Configuration: discovery, validation that names file and line, precedence, per-path overrides.

Precedence is built-in defaults < config file < command line. The config file is the nearest
`attribaudit.toml`, `.attribaudit.toml` or `pyproject.toml` with a `[tool.attribaudit]` table,
looking upward from the working directory; `--config FILE` skips the search.

tomllib keeps no positions, so `KeyLines` scans the TOML text for key assignments and table
headers to say on which line a bad key or value sits. It is a line scanner, not a TOML parser:
exact for `key = ...`, dotted keys and `[table]` / `[[array]]` headers; for values nested inside
inline tables or multi-line arrays it falls back to the line of the enclosing key.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .baseline import normalize_path
from .discover import gitignore_spec, invalid_glob
from .models import AttribauditError, Severity
from .yamlio import read_text

if TYPE_CHECKING:
    import pathspec

CONFIG_FILENAMES = ("attribaudit.toml", ".attribaudit.toml", "pyproject.toml")
PYPROJECT = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "attribaudit")
FAIL_ON_NEVER = "never"

DEFAULT_ORIGIN = "default"
CLI_ORIGIN = "command line"

_SeverityName = Literal["error", "warning", "info"]
_SeveritySetting = Literal["error", "warning", "info", "off"]
_FailOn = Literal["error", "warning", "info", "never"]


# --------------------------------------------------------------------------- file schema


class _OverrideModel(BaseModel):
    # strict: TOML is typed, so "4" for an int or 1 for a bool is a mistake worth reporting.
    model_config = ConfigDict(extra="forbid", strict=True)

    paths: list[str] = Field(min_length=1)
    severity: dict[str, _SeveritySetting] = Field(default_factory=dict)
    fail_on: _FailOn | None = None
    min_severity: _SeverityName | None = None


class _ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    rules: list[str] = Field(default_factory=list)
    registries: list[str] = Field(default_factory=list)
    fail_on: _FailOn = "error"
    min_severity: _SeverityName = "info"
    exclude: list[str] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    require_reason: bool = False
    report_unused_disables: bool = False
    jobs: int | None = Field(default=None, ge=1)
    severity: dict[str, _SeveritySetting] = Field(default_factory=dict)
    overrides: list[_OverrideModel] = Field(default_factory=list)


CONFIG_KEYS: tuple[str, ...] = tuple(_ConfigModel.model_fields)
_OVERRIDE_KEYS: tuple[str, ...] = tuple(_OverrideModel.model_fields)
# Keys `merge_cli` accepts: every scalar and list setting; overrides only come from files.
_CLI_KEYS = frozenset(CONFIG_KEYS) - {"overrides"}


# --------------------------------------------------------------------------- key lines

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_PART = r"""(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)"""
_KEY_LINE_RE = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_KEY_PART_RE = re.compile(r""""([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9_-]+)""")
_TRIPLE_QUOTE_RE = re.compile(r'"""|' + r"'''")

KeyPath = tuple[str | int, ...]


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(
        next(g for g in m.groups() if g is not None) for m in _KEY_PART_RE.finditer(dotted)
    )


class KeyLines:
    """Line numbers (1-based) of the keys and table headers of one TOML text.

    Paths use pydantic's location style: `("severity", "unknown-source")`, and array-of-tables
    entries are numbered, so `[[overrides]]` number two is `("overrides", 1)`.
    """

    __slots__ = ("_lines",)

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self._scan(text)

    def _record(self, path: KeyPath, line: int) -> None:
        # Every prefix gets a line too, so `severity.x = ...` also locates `severity`.
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], line)

    def _scan(self, text: str) -> None:
        table: KeyPath = ()
        array_counts: dict[KeyPath, int] = {}  # array-of-tables path -> index of its last entry
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            quotes = len(_TRIPLE_QUOTE_RE.findall(line))
            if in_multiline:
                in_multiline = quotes % 2 == 0  # still open unless this line closes it
                continue
            header = _HEADER_RE.match(line)
            if header and not _KEY_LINE_RE.match(line):
                parts = _split_key(header.group(2))
                if not parts:
                    continue
                parent = self._index_parents(parts[:-1], array_counts)
                path = (*parent, parts[-1])
                if header.group(1) == "[[":
                    array_counts[path] = array_counts.get(path, -1) + 1
                    self._lines.setdefault(path, number)
                    path = (*path, array_counts[path])
                else:
                    path = self._index_parents(parts, array_counts)
                self._record(path, number)
                table = path
                continue
            key = _KEY_LINE_RE.match(line)
            if key:
                self._record((*table, *_split_key(key.group(1))), number)
            if quotes % 2 == 1:
                in_multiline = True

    @staticmethod
    def _index_parents(parts: Sequence[str], array_counts: Mapping[KeyPath, int]) -> KeyPath:
        """`overrides.severity` inside `[[overrides]]` means the last entry's `severity`."""
        path: KeyPath = ()
        for part in parts:
            path = (*path, part)
            if path in array_counts:
                path = (*path, array_counts[path])
        return path

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of `path`, or of its longest prefix that has one."""
        key = tuple(path)
        while key:
            line = self._lines.get(key)
            if line is not None:
                return line
            key = key[:-1]
        return self._lines.get((), None)


# --------------------------------------------------------------------------- resolved types


def _severity_setting(value: str | Severity | None) -> Severity | None:
    """`off` (or None) turns a rule off; anything else is its severity."""
    if value is None or value == "off":
        return None
    return Severity(value.value if isinstance(value, Enum) else value)


@dataclass(frozen=True, slots=True)
class ResolvedSettings:
    """The settings for one file, after the overrides whose globs match it."""

    severity: Mapping[str, Severity | None]
    fail_on: str
    min_severity: Severity
    # Where min_severity was set, as a user would write it ("--min-severity error"), so a
    # report can say what hid the findings it does not show.
    min_severity_by: str = "the default min_severity"

    def rule_severity(self, rule: str, default: Severity) -> Severity | None:
        """The severity to stamp on a finding of `rule`; None means the rule is off."""
        return self.severity.get(rule, default)

    def fails(self, severity: Severity) -> bool:
        """Whether a finding of this severity fails the run (exit code 1)."""
        return self.fail_on != FAIL_ON_NEVER and severity >= Severity(self.fail_on)

    def shows(self, severity: Severity) -> bool:
        return severity >= self.min_severity


@dataclass(slots=True)
class Override:
    """One `[[overrides]]` entry; `paths` are gitignore-style globs relative to the config root."""

    paths: list[str]
    severity: dict[str, Severity | None] = field(default_factory=dict)
    fail_on: str | None = None
    min_severity: Severity | None = None
    origin: str = DEFAULT_ORIGIN
    _spec: pathspec.PathSpec | None = field(default=None, repr=False, compare=False)

    def matches(self, relative_path: str) -> bool:
        if self._spec is None:
            self._spec = gitignore_spec(self.paths)
        return self._spec.match_file(relative_path)


@dataclass
class Config:
    """Every setting, resolved: defaults, then the config file, then the command line.

    `origins` says where each value came from: "default", "FILE:LINE" or "command line"; per-rule
    severities are listed as "severity.RULE". `root` is the folder that `exclude`, `include` and
    override globs are relative to: the config file's folder, else the working directory.
    """

    rules: list[Path] = field(default_factory=list)
    registries: list[Path] = field(default_factory=list)
    fail_on: str = "error"
    min_severity: Severity = Severity.INFO
    exclude: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    require_reason: bool = False
    report_unused_disables: bool = False
    jobs: int | None = None
    severity: dict[str, Severity | None] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    key_lines: KeyLines | None = field(default=None, repr=False, compare=False)
    _settings_cache: dict[tuple[int, ...], ResolvedSettings] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _file_specs: tuple[pathspec.PathSpec | None, pathspec.PathSpec | None] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # -- per-file settings

    def relative_path(self, file_path: str) -> str:
        """`file_path` relative to `root` (posix), or normalised as given when it lies outside."""
        absolute = Path(os.path.realpath(file_path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return normalize_path(file_path)

    def for_path(self, file_path: str) -> ResolvedSettings:
        """Settings for one file: the overrides whose globs match it, applied in order."""
        matched: tuple[int, ...] = ()
        if self.overrides:
            relative = self.relative_path(file_path)
            matched = tuple(i for i, o in enumerate(self.overrides) if o.matches(relative))
        cached = self._settings_cache.get(matched)
        if cached is None:
            severity = dict(self.severity)
            fail_on, min_severity = self.fail_on, self.min_severity
            min_severity_by = self._min_severity_by(min_severity, self.origin("min_severity"))
            for index in matched:
                override = self.overrides[index]
                severity.update(override.severity)
                fail_on = override.fail_on or fail_on
                if override.min_severity:
                    min_severity = override.min_severity
                    min_severity_by = self._min_severity_by(
                        min_severity, override.origin, in_override=True
                    )
            cached = ResolvedSettings(severity, fail_on, min_severity, min_severity_by)
            self._settings_cache[matched] = cached
        return cached

    @staticmethod
    def _min_severity_by(level: Severity, origin: str, *, in_override: bool = False) -> str:
        if origin == CLI_ORIGIN:
            return f"--min-severity {level.value}"
        if origin == DEFAULT_ORIGIN:
            return "the default min_severity"
        where = f"in [[overrides]] at {origin}" if in_override else f"at {origin}"
        return f'min_severity = "{level.value}" {where}'

    def is_excluded(self, file_path: str) -> bool:
        """True when `exclude` matches the file, or `include` is set and does not."""
        if self._file_specs is None:
            self._file_specs = (
                gitignore_spec(self.exclude) if self.exclude else None,
                gitignore_spec(self.include) if self.include else None,
            )
        exclude, include = self._file_specs
        if exclude is None and include is None:
            return False
        relative = self.relative_path(file_path)
        if exclude is not None and exclude.match_file(relative):
            return True
        return include is not None and not include.match_file(relative)

    def engine_options(self) -> dict[str, Any]:
        """Keyword arguments for `engine.EngineOptions` (config does not import the engine)."""
        return {
            "rule_paths": list(self.rules),
            "registry_paths": list(self.registries),
            "severity": dict(self.severity),
            "select": list(self.select),
            "ignore": list(self.ignore),
            "require_reason": self.require_reason,
            "report_unused_disables": self.report_unused_disables,
        }

    # -- description (for `config show`)

    def as_dict(self) -> dict[str, Any]:
        """Every setting as plain JSON data."""

        def severity_map(values: Mapping[str, Severity | None]) -> dict[str, str]:
            return {rule: s.value if s else "off" for rule, s in sorted(values.items())}

        return {
            "rules": [str(p) for p in self.rules],
            "registries": [str(p) for p in self.registries],
            "fail_on": self.fail_on,
            "min_severity": self.min_severity.value,
            "exclude": list(self.exclude),
            "include": list(self.include),
            "select": list(self.select),
            "ignore": list(self.ignore),
            "require_reason": self.require_reason,
            "report_unused_disables": self.report_unused_disables,
            "jobs": self.jobs,
            "severity": severity_map(self.severity),
            "overrides": [
                {
                    "paths": list(o.paths),
                    "severity": severity_map(o.severity),
                    "fail_on": o.fail_on,
                    "min_severity": o.min_severity.value if o.min_severity else None,
                }
                for o in self.overrides
            ],
        }

    def describe(self) -> list[tuple[str, Any, str]]:
        """(setting, value, origin) rows; per-rule severities and overrides get a row each."""
        data = self.as_dict()
        rows: list[tuple[str, Any, str]] = []
        for key in CONFIG_KEYS:
            if key == "severity":
                rows.append((key, data[key], self.origin(key)))
                rows.extend(
                    (f"severity.{rule}", value, self.origin(f"severity.{rule}"))
                    for rule, value in data[key].items()
                )
            elif key == "overrides":
                if not self.overrides:
                    rows.append((key, [], self.origin(key)))
                for index, (override, value) in enumerate(
                    zip(self.overrides, data[key], strict=True)
                ):
                    rows.append((f"overrides[{index}]", value, override.origin))
            else:
                rows.append((key, data[key], self.origin(key)))
        return rows

    def origin(self, key: str) -> str:
        return self.origins.get(key, DEFAULT_ORIGIN)


# --------------------------------------------------------------------------- discovery


_TOML_POSITION_RE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise AttribauditError("invalid TOML: nested too deeply to read", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION_RE.search(message)
        line = int(position.group(1)) if position else None
        if position:
            message = message[: position.start()]
        raise AttribauditError(f"invalid TOML: {message}", str(path), line) from None


def _pyproject_table(data: Mapping[str, Any]) -> Any:
    tool = data.get("tool")
    return tool.get("attribaudit") if isinstance(tool, dict) else None


def _has_attribaudit_table(pyproject: Path) -> bool:
    text = read_text(pyproject, "config file")
    # Most pyproject files never mention us: skip the parse (and any TOML error in them).
    if "attribaudit" not in text:
        return False
    return _pyproject_table(_parse_toml(pyproject, text)) is not None


def discover_config(cwd: Path) -> Path | None:
    """The nearest config file at or above `cwd`; within one folder the first of
    `CONFIG_FILENAMES` wins, and a pyproject.toml counts only with a [tool.attribaudit] table."""
    start = cwd.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_FILENAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == PYPROJECT and not _has_attribaudit_table(candidate):
                continue
            return candidate
    return None


# --------------------------------------------------------------------------- loading


def _close_match(word: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _format_input(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _validation_error(
    path: Path, exc: ValidationError, key_lines: KeyLines, base: KeyPath
) -> AttribauditError:
    errors = exc.errors()
    first = errors[0]
    loc = tuple(first["loc"])
    dotted = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    if first["type"] == "extra_forbidden":
        in_override = len(loc) >= 3 and loc[0] == "overrides"
        choices = _OVERRIDE_KEYS if in_override else CONFIG_KEYS
        message = f"unknown key '{dotted}'{_close_match(str(loc[-1]), choices)}"
    else:
        message = f"{dotted}: {first['msg']}"
        if "input" in first and not isinstance(first["input"], dict | list):
            message += f" (got {_format_input(first['input'])})"
    if len(errors) > 1:
        more = len(errors) - 1
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return AttribauditError(message, str(path), key_lines.line_of((*base, *loc)))


def _origin(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _resolve_data_paths(
    key: str, entries: list[str], folder: Path, path: Path, key_lines: KeyLines, base: KeyPath
) -> list[Path]:
    resolved = []
    for entry in entries:
        problem = None
        try:
            target = Path(entry).expanduser()
            target = target if target.is_absolute() else folder / target
            if not target.exists():
                problem = f"'{entry}' does not exist (looked for {target})"
        except RuntimeError:  # "~someone/..." for a user this system does not know
            problem = f"cannot expand '{entry}': no such user's home folder"
        except OSError as exc:  # a name too long
            problem = f"cannot look up '{_format_input(entry)[1:-1]}': {exc.strerror or exc}"
        if problem is not None:
            raise AttribauditError(f"{key}: {problem}", str(path), key_lines.line_of((*base, key)))
        resolved.append(target)
    return resolved


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    """Load `explicit`, else the discovered config file, else the built-in defaults."""
    cwd = (cwd or Path.cwd()).resolve()
    if explicit is not None:
        path = explicit if explicit.is_absolute() else cwd / explicit
        try:
            is_file = path.is_file()
        except OSError as exc:  # a name too long
            raise AttribauditError(
                f"cannot read config file: {exc.strerror or exc}", str(explicit)
            ) from None
        if not is_file:
            _check_special_config(path, explicit)
            # A device or a pipe: `--config /dev/null` (no config), `--config <(...)`. It is
            # read as given (a pipe's resolved name cannot be opened), and its folder (/dev)
            # means nothing, so paths in it are relative to the working directory.
            return _load_file(path, root=cwd)
    else:
        found = discover_config(cwd)
        if found is None:
            return Config(root=cwd)
        path = found
    return _load_file(path.resolve())


# A config that is not a regular file is read up to this size (a real one is a few hundred bytes).
_SPECIAL_CONFIG_LIMIT = 1024 * 1024


def _check_special_config(path: Path, explicit: Path) -> None:
    """Raise the accurate error for an explicit config path that is not a regular file, unless
    it is a device or a pipe, which can be read."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            raise AttribauditError(
                f"config file is a link to a missing file ({target})", str(explicit)
            ) from None
        raise AttribauditError("config file not found", str(explicit)) from None
    except OSError as exc:
        raise AttribauditError(f"cannot read config file: {exc.strerror}", str(explicit)) from None
    if stat.S_ISDIR(mode):
        raise AttribauditError("config file is a folder, not a file", str(explicit))
    if stat.S_ISSOCK(mode):
        raise AttribauditError("config file is a socket, not a file", str(explicit))


def _check_globs(model: _ConfigModel, path: Path, key_lines: KeyLines, base: KeyPath) -> None:
    """Raise, at its line, for the first exclude, include or override glob that is none (it
    would only fail once files were matched against it)."""
    places: list[tuple[str, KeyPath, list[str]]] = [
        (key, (key,), getattr(model, key)) for key in ("exclude", "include")
    ]
    places += [
        (f"overrides[{index}].paths", ("overrides", index, "paths"), override.paths)
        for index, override in enumerate(model.overrides)
    ]
    for key, loc, patterns in places:
        for pattern in patterns:
            reason = invalid_glob(pattern)
            if reason is not None:
                raise AttribauditError(
                    f"{key}: invalid glob {pattern!r}: {reason}",
                    str(path),
                    key_lines.line_of((*base, *loc)),
                )


def _load_file(path: Path, root: Path | None = None) -> Config:
    """Load one config file; `root` (the file's folder by default) is what paths and globs in
    it are relative to."""
    special = root is not None
    text = read_text(path, "config file", limit=_SPECIAL_CONFIG_LIMIT if special else None)
    data = _parse_toml(path, text)
    key_lines = KeyLines(text)
    base: KeyPath = ()
    if path.name == PYPROJECT:
        base = PYPROJECT_TABLE
        data = _pyproject_table(data)
        if data is None:
            raise AttribauditError("no [tool.attribaudit] table in this pyproject.toml", str(path))
        if not isinstance(data, dict):
            raise AttribauditError(
                "tool.attribaudit must be a table", str(path), key_lines.line_of(base)
            )
    try:
        model = _ConfigModel.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path, exc, key_lines, base) from None

    _check_globs(model, path, key_lines, base)
    folder = root if root is not None else path.parent

    def origin_of(*key: str | int) -> str:
        return _origin(path, key_lines.line_of((*base, *key)))

    origins = {key: origin_of(key) for key in model.model_fields_set}
    origins.update({f"severity.{rule}": origin_of("severity", rule) for rule in model.severity})
    overrides = [
        Override(
            paths=list(o.paths),
            severity={rule: _severity_setting(v) for rule, v in o.severity.items()},
            fail_on=o.fail_on,
            min_severity=Severity(o.min_severity) if o.min_severity else None,
            origin=origin_of("overrides", index),
        )
        for index, o in enumerate(model.overrides)
    ]
    return Config(
        rules=_resolve_data_paths("rules", model.rules, folder, path, key_lines, base),
        registries=_resolve_data_paths(
            "registries", model.registries, folder, path, key_lines, base
        ),
        fail_on=model.fail_on,
        min_severity=Severity(model.min_severity),
        exclude=list(model.exclude),
        include=list(model.include),
        select=list(model.select),
        ignore=list(model.ignore),
        require_reason=model.require_reason,
        report_unused_disables=model.report_unused_disables,
        jobs=model.jobs,
        severity={rule: _severity_setting(v) for rule, v in model.severity.items()},
        overrides=overrides,
        origins=origins,
        path=path,
        root=folder,
        key_lines=key_lines,
    )


# --------------------------------------------------------------------------- command line


def _cli_value(key: str, value: Any, cwd: Path) -> Any:
    """Normalise one command-line value to the Config field's type."""
    if isinstance(value, Enum):
        value = value.value
    if key in ("rules", "registries"):
        return [p if Path(p).is_absolute() else cwd / p for p in map(Path, value)]
    if key == "fail_on":
        if value not in ("error", "warning", "info", FAIL_ON_NEVER):
            raise AttribauditError(
                f"--fail-on: expected error, warning, info or never, got {value!r}"
            )
        return value
    if key == "min_severity":
        try:
            return Severity(value)
        except ValueError:
            raise AttribauditError(
                f"--min-severity: expected error, warning or info, got {value!r}"
            ) from None
    if key == "severity":
        try:
            return {rule: _severity_setting(v) for rule, v in dict(value).items()}
        except ValueError as exc:
            raise AttribauditError(f"--severity: {exc}") from None
    if key == "jobs" and (not isinstance(value, int) or value < 1):
        raise AttribauditError(f"--jobs: expected a whole number of at least 1, got {value!r}")
    if key in ("exclude", "include"):
        for pattern in value:
            reason = invalid_glob(pattern)
            if reason is not None:
                raise AttribauditError(f"--{key}: invalid glob {pattern!r}: {reason}")
    if key in ("exclude", "include", "select", "ignore"):
        return list(value)
    return value


def merge_cli(config: Config, **cli_values: Any) -> Config:
    """A new Config where every command-line value that was given wins.

    None means "not given". So does an empty list, since a repeatable option given zero times
    is indistinguishable from one not given. Lists replace the file's lists; `severity` is merged
    rule by rule. Relative paths are taken from the current working directory.
    """
    unknown = set(cli_values) - _CLI_KEYS
    if unknown:
        raise TypeError(f"merge_cli: not a config setting: {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    origins = dict(config.origins)
    cwd = Path.cwd()
    for key, value in cli_values.items():
        if value is None or (isinstance(value, list | tuple | dict) and not value):
            continue
        value = _cli_value(key, value, cwd)
        if key == "severity":
            changes[key] = {**config.severity, **value}
            origins.update({f"severity.{rule}": CLI_ORIGIN for rule in value})
        else:
            changes[key] = value
        origins[key] = CLI_ORIGIN
    if not changes:
        return config
    return dataclasses.replace(config, origins=origins, **changes)


# --------------------------------------------------------------------------- rule ids


def check_rule_ids(config: Config, known: set[str]) -> None:
    """Raise for the first rule id in `severity`, `select`, `ignore` or an override's
    `severity` that no loaded rule has: at its line in the config file, or naming the option
    when the value came from the command line."""
    base: KeyPath = PYPROJECT_TABLE if config.path and config.path.name == PYPROJECT else ()

    def check(rule: str, key: str, origin_key: str, loc: KeyPath) -> None:
        if rule in known:
            return
        problem = f"unknown rule id '{rule}'{_close_match(rule, known)}"
        if config.origin(origin_key) == CLI_ORIGIN or config.path is None:
            raise AttribauditError(f"--{key.split('.')[0].replace('_', '-')}: {problem}")
        line = config.key_lines.line_of((*base, *loc)) if config.key_lines else None
        raise AttribauditError(f"{key}: {problem}", str(config.path), line)

    for rule in config.severity:
        check(rule, "severity", f"severity.{rule}", ("severity", rule))
    for key in ("select", "ignore"):
        for rule in getattr(config, key):
            check(rule, key, key, (key,))
    for index, override in enumerate(config.overrides):
        for rule in override.severity:
            loc = ("overrides", index, "severity", rule)
            check(rule, f"overrides[{index}].severity", "overrides", loc)

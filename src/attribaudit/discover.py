"""Turn the paths on the command line into the inputs to audit.

- `-` (stdin) and fsspec URLs (`s3://...`) pass through; through fsspec, when it is installed,
  a URL with a wildcard is expanded and a folder URL (`s3://bucket/2023/`) is listed like a
  folder: the supported suffixes (or `include`), minus `exclude` and hidden names.
- A file given explicitly is always audited, whatever its suffix (`exclude` still applies).
- A folder is walked recursively for the supported suffixes (`include` globs replace them),
  honouring `.gitignore` and `.attribauditignore` files met on the way, skipping hidden files
  and folders, and never entering a directory twice (which also defeats symlink loops).
- A glob (`articles/*.md`, `**/*.txt`) is matched by walking its fixed leading folder the same
  way; a file it matches is taken whatever its suffix (the glob chose it), a folder it matches
  is walked like a folder given on the command line.

Everything is a generator over `os.scandir`, one directory listing in memory at a time, in a
deterministic order (depth first, entries sorted by name), so a 100,000-file archive starts
streaming at once. `include` / `exclude` / ignore-file patterns use gitignore syntax (pathspec)
matched against the path relative to the folder walked; for an explicit file, against the path
as given.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .ingest import SUPPORTED_SUFFIXES, is_url

if TYPE_CHECKING:
    from pathspec import PathSpec

__all__ = ["IGNORE_FILES", "Input", "discover"]

IGNORE_FILES = (".gitignore", ".attribauditignore")  # later files win over earlier ones
_GLOB_CHARS_RE = re.compile(r"[*?\[]")
_DEFAULT_LOOKED_FOR = ", ".join(f"*{suffix}" for suffix in SUPPORTED_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Input:
    """One input to audit, or a path that yielded nothing (with the reason in `error`)."""

    path: str
    error: str | None = None


def discover(
    paths: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    use_ignore_files: bool = True,
) -> Iterator[Input]:
    """Yield the inputs named by `paths`, in order, each file once."""
    walker = _Walker(
        include=gitignore_spec(include) if include else None,
        exclude=gitignore_spec(exclude) if exclude else None,
        use_ignore_files=use_ignore_files,
        looked_for=", ".join(include) if include else _DEFAULT_LOOKED_FOR,
    )
    for path in paths:
        if path == "-":
            yield Input("-")
        elif is_url(path):
            yield from _discover_url(path, walker)
        elif os.path.isdir(path):
            yield from walker.folder(path)
        elif os.path.exists(path):
            yield from walker.explicit_file(path)
        elif _GLOB_CHARS_RE.search(path):
            yield from walker.glob(path)
        else:
            yield Input(path, error="no such file or directory")


class _Walker:
    def __init__(
        self,
        *,
        include: PathSpec | None,
        exclude: PathSpec | None,
        use_ignore_files: bool,
        looked_for: str,
    ) -> None:
        self.include = include
        self.exclude = exclude
        self.use_ignore_files = use_ignore_files
        self.looked_for = looked_for
        self._seen_files: set[str] = set()

    # -- what the user named --------------------------------------------------------------

    def explicit_file(self, path: str) -> Iterator[Input]:
        relative = _relative_for_matching(path)
        if self.exclude is not None and self.exclude.match_file(relative):
            return
        if self._first_time(path):
            yield Input(path)

    def folder(self, folder: str) -> Iterator[Input]:
        matched = False
        for item in self._unique(self._walk(folder, self._folder_match, glob=None)):
            matched = True
            if item is not None:
                yield item
        if not matched:
            yield Input(folder, error=f"no articles found (looked for {self.looked_for})")

    def glob(self, pattern: str) -> Iterator[Input]:
        base, rest = _split_glob(pattern)
        if not os.path.isdir(base or "."):
            yield Input(pattern, error="no such file or directory")
            return
        try:
            matcher = _GlobMatcher(rest)
        except re.error as exc:  # a character class that is none: "[z-a]", "[!]"
            yield Input(pattern, error=f"invalid pattern: {exc.msg}")
            return
        matched = False
        for item in self._unique(self._walk(base, matcher.matches_file, glob=matcher)):
            matched = True
            if item is not None:
                yield item
        if not matched:
            yield Input(pattern, error="no files match this pattern")

    def _unique(self, items: Iterator[Input]) -> Iterator[Input | None]:
        """Errors, and files not yielded before; None stands for a repeat: it still counts as
        a match, so `check articles articles/2024` does not report "no articles found"."""
        for item in items:
            if item.error is not None or self._first_time(item.path):
                yield item
            else:
                yield None

    # -- the walk -----------------------------------------------------------------------

    def _folder_match(self, relative: str, name: str) -> bool:
        if self.include is not None:
            return self.include.match_file(relative)
        return os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES

    def _walk(
        self,
        top: str,
        matches: Callable[[str, str], bool],
        glob: _GlobMatcher | None,
    ) -> Iterator[Input]:
        """Depth-first walk of `top`, yielding the files `matches` accepts.

        With a `glob`, directories the glob does not lead to are pruned, and a directory the
        glob matches whole is walked as a folder from there on.
        """
        # Directories entered in this walk, by identity: a symlink back up (a loop) or a second
        # link to the same folder is not walked again.
        seen_dirs: set[tuple[int, int]] = set()
        listed = self._list_dir(top or ".", seen_dirs)
        if listed is None:
            return
        if isinstance(listed, Input):
            yield Input(top, error=listed.error)
            return
        # Paths are shown the way the user wrote the folder; "." itself adds nothing.
        shown_prefix = "" if os.path.normpath(top or ".") == "." else top
        ignores = self._extend_ignores((), "", top or ".", listed)
        # One frame per open directory: (its sorted entries, next index, path relative to top
        # with a trailing slash, ignore specs in force, the matcher for its files, glob mode).
        stack: list[list[Any]] = [[listed, 0, "", ignores, matches, glob is not None]]
        while stack:
            frame = stack[-1]
            entries, index, relative_dir, ignores, file_match, in_glob = frame
            if index >= len(entries):
                stack.pop()
                continue
            frame[1] = index + 1
            entry = entries[index]
            name = entry.name
            if name.startswith("."):
                continue
            relative = relative_dir + name
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                child = self._enter_dir(entry, relative, ignores, in_glob, glob, seen_dirs)
                if child is None:
                    continue
                if isinstance(child, Input):
                    yield Input(_shown(shown_prefix, entry.path, relative), error=child.error)
                    continue
                sub_entries, sub_in_glob = child
                sub_ignores = self._extend_ignores(ignores, relative + "/", entry.path, sub_entries)
                sub_match = file_match if sub_in_glob else self._folder_match
                stack.append([sub_entries, 0, relative + "/", sub_ignores, sub_match, sub_in_glob])
                continue
            try:
                if not entry.is_file():  # broken symlinks, sockets, fifos
                    continue
            except OSError:
                continue
            if not file_match(relative, name):
                continue
            if ignores and _ignored(ignores, relative):
                continue
            if self.exclude is not None and self.exclude.match_file(relative):
                continue
            yield Input(_shown(shown_prefix, entry.path, relative))

    def _enter_dir(
        self,
        entry: os.DirEntry[str],
        relative: str,
        ignores: tuple[tuple[str, PathSpec], ...],
        in_glob: bool,
        glob: _GlobMatcher | None,
        seen_dirs: set[tuple[int, int]],
    ) -> tuple[list[os.DirEntry[str]], bool] | Input | None:
        """The sorted listing of a subdirectory to descend into, an error, or None to skip."""
        sub_in_glob = in_glob
        if in_glob and glob is not None:
            if glob.matches_dir_whole(relative):
                sub_in_glob = False
            elif not glob.could_match_below(relative):
                return None
        as_dir = relative + "/"
        if ignores and _ignored(ignores, as_dir):
            return None
        if self.exclude is not None and self.exclude.match_file(as_dir):
            return None
        listed = self._list_dir(entry.path, seen_dirs)
        if listed is None or isinstance(listed, Input):
            return listed
        return listed, sub_in_glob

    @staticmethod
    def _list_dir(
        path: str, seen_dirs: set[tuple[int, int]]
    ) -> list[os.DirEntry[str]] | Input | None:
        """Sorted entries of a directory not seen before; None if seen; Input on error."""
        try:
            info = os.stat(path)
        except OSError as exc:
            return Input(path, error=_os_error(exc))
        identity = (info.st_dev, info.st_ino)
        if identity in seen_dirs:
            return None
        seen_dirs.add(identity)
        try:
            with os.scandir(path) as listing:
                return sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            return Input(path, error=_os_error(exc))

    def _extend_ignores(
        self,
        ignores: tuple[tuple[str, PathSpec], ...],
        relative_dir: str,
        directory: str,
        entries: list[os.DirEntry[str]],
    ) -> tuple[tuple[str, PathSpec], ...]:
        if not self.use_ignore_files:
            return ignores
        names = {entry.name for entry in entries if entry.name in IGNORE_FILES}
        if not names:
            return ignores
        lines: list[str] = []
        for name in IGNORE_FILES:
            if name in names:
                try:
                    with open(
                        os.path.join(directory, name), encoding="utf-8", errors="replace"
                    ) as handle:
                        lines.extend(handle.read().splitlines())
                except OSError:
                    continue
        spec = _ignore_file_spec(lines)
        return (*ignores, (relative_dir, spec)) if spec.patterns else ignores

    def _first_time(self, path: str) -> bool:
        key = os.path.normpath(path)
        if key in self._seen_files:
            return False
        self._seen_files.add(key)
        return True


def _ignored(ignores: tuple[tuple[str, PathSpec], ...], relative: str) -> bool:
    """gitignore semantics: the deepest ignore file with an opinion decides."""
    for base, spec in reversed(ignores):
        if not relative.startswith(base):
            continue
        verdict = spec.check_file(relative[len(base) :]).include
        if verdict is not None:
            return verdict
    return False


class _GlobMatcher:
    """Shell-style glob matching on paths relative to the glob's fixed leading folder.

    `*`, `?` and `[...]` stay within one path component; `**` as a whole component matches
    any number of them (zero included), as in `glob.glob(..., recursive=True)`.
    """

    def __init__(self, pattern: str) -> None:
        self.parts = [part for part in pattern.split("/") if part]
        self.regex = re.compile(_glob_to_regex(self.parts))
        self.recursive = "**" in self.parts
        # For pruning: the folders at depth d must match the first d components.
        self._prefixes = [
            re.compile(_glob_to_regex(self.parts[:d])) for d in range(1, len(self.parts))
        ]

    def matches_file(self, relative: str, name: str) -> bool:
        return self.regex.fullmatch(relative) is not None

    def matches_dir_whole(self, relative: str) -> bool:
        # `articles/*` names every entry of `articles`, folders included; `**` alone would
        # name every folder, which is just the recursive file match, so it does not count.
        return self.parts[-1] != "**" and self.regex.fullmatch(relative) is not None

    def could_match_below(self, relative: str) -> bool:
        if self.recursive:
            return True
        depth = relative.count("/") + 1
        if depth >= len(self.parts):
            return False
        return self._prefixes[depth - 1].fullmatch(relative) is not None


def _glob_to_regex(parts: list[str]) -> str:
    pieces: list[str] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            pieces.append(".*" if last else "(?:[^/]+/)*")
            continue
        pieces.append(_component_to_regex(part))
        if not last:
            pieces.append("/")
    return "".join(pieces)


@cache
def _component_to_regex(part: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(part):
        char = part[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = part.find("]", i + 2 if part[i + 1 : i + 2] in ("!", "]") else i + 1)
            if close == -1:
                out.append(re.escape(char))
            else:
                body = part[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _split_glob(pattern: str) -> tuple[str, str]:
    """`articles/2024/*.md` -> (`articles/2024`, `*.md`): the fixed folder and the rest."""
    parts = pattern.replace(os.sep, "/").split("/")
    for index, part in enumerate(parts):
        if _GLOB_CHARS_RE.search(part):
            base = "/".join(parts[:index])
            if not base and pattern.startswith("/"):
                base = "/"
            return base, "/".join(parts[index:])
    return pattern, ""


def _discover_url(url: str, walker: _Walker) -> Iterator[Input]:
    if not _GLOB_CHARS_RE.search(url):
        yield from _discover_url_folder(url, walker)
        return
    try:
        import fsspec
    except ImportError:
        yield Input(url)  # the reader explains that fsspec is needed
        return
    exclude = walker.exclude
    try:
        fs, pattern = fsspec.core.url_to_fs(url)
        found = fs.glob(pattern, detail=True)
    except Exception as exc:  # unknown protocol, network, credentials
        yield Input(url, error=f"cannot list: {type(exc).__name__}: {exc}")
        return
    any_found = False
    for name in sorted(found):
        if found[name].get("type") == "directory":
            continue
        if exclude is not None and exclude.match_file(name.lstrip("/")):
            continue
        any_found = True
        yield Input(fs.unstrip_protocol(name))
    if not any_found:
        yield Input(url, error="no files match this pattern")


def _discover_url_folder(url: str, walker: _Walker) -> Iterator[Input]:
    """A URL naming a file passes through; one naming a folder is listed like a local folder.

    A URL that ends in a supported suffix is taken for a file without asking the store (a list
    of 10,000 object URLs would otherwise cost 10,000 round trips before the first audit)."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if not url.endswith("/") and os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
        if walker._first_time(url):
            yield Input(url)
        return
    try:
        import fsspec
    except ImportError:
        yield Input(url)  # the reader explains that fsspec is needed
        return
    try:
        fs, top = fsspec.core.url_to_fs(url)
        if not fs.isdir(top):
            if walker._first_time(url):
                yield Input(url)  # a file, or nothing: the reader says which
            return
        names = sorted(fs.find(top))
    except Exception as exc:  # unknown protocol, network, credentials
        yield Input(url, error=f"cannot list: {type(exc).__name__}: {exc}")
        return
    top = top.rstrip("/")
    matched = False
    for found in names:
        relative = found[len(top) :].lstrip("/") if found.startswith(top) else found
        if not relative or any(part.startswith(".") for part in relative.split("/")):
            continue
        if not walker._folder_match(relative, relative.rsplit("/", 1)[-1]):
            continue
        if walker.exclude is not None and walker.exclude.match_file(relative):
            continue
        matched = True
        path = fs.unstrip_protocol(found)
        if walker._first_time(path):
            yield Input(path)
    if not matched:
        yield Input(url, error=f"no articles found (looked for {walker.looked_for})")


def gitignore_spec(patterns: Sequence[str]) -> PathSpec:
    """Gitignore-style patterns, compiled. pathspec is imported on first use: it costs ~10 ms
    of start-up, and most runs match no glob. A pattern that is none (`invalid_glob`) raises
    ValueError: settings are checked before they get here, ignore files skip such lines."""
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(patterns)


def invalid_glob(pattern: str) -> str | None:
    """Why `pattern` is no gitignore-style glob ("!" alone, a trailing backslash), or None."""
    try:
        gitignore_spec([pattern])
    except ValueError as exc:
        reason = str(exc.__cause__ or exc).rstrip(".")
        return reason[:1].lower() + reason[1:]
    return None


def _ignore_file_spec(lines: list[str]) -> PathSpec:
    """An ignore file's patterns; as git does, a line that is no pattern is skipped."""
    try:
        return gitignore_spec(lines)
    except ValueError:
        return gitignore_spec([line for line in lines if invalid_glob(line) is None])


def _relative_for_matching(path: str) -> str:
    normal = os.path.normpath(path).replace(os.sep, "/")
    return normal.lstrip("/")


def _shown(prefix: str, entry_path: str, relative: str) -> str:
    return entry_path if prefix else relative


def _os_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return exc.strerror or str(exc)

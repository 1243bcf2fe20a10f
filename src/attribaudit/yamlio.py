"""YAML loading that remembers where every mapping and list item came from.

Rule packs and registries are written by hand, so an error must say "file:line". PyYAML's
composer already knows each node's line; this loader keeps it on the constructed containers and
`locate()` turns a pydantic error location (a tuple of keys and indexes) back into a line.

Parsing is most of what loading the shipped data costs (about 60 ms of every run for the rules
and the registry: libyaml scans, but PyYAML builds the objects in Python), so a file's parse is
kept in the user cache (see `_ParseCache`) and reused while the file's bytes are unchanged.
Only the parse is cached, line numbers included: callers still validate what they get, so a
changed schema or validator takes effect at once and reports errors exactly as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .models import AttribauditError
from .paths import user_cache_dir


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows its line, and the line of each of its keys."""

    __slots__ = ("key_lines", "line")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict[Any, int] = {}


class LineList(list):  # type: ignore[type-arg]
    __slots__ = ("item_lines", "line")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.item_lines: list[int] = []


# -- parsing -------------------------------------------------------------------------------------


def _construct_mapping(loader: Any, node: Any) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:
            raise _constructor_error("found an unhashable key", key_node) from exc
        if key in result:
            raise _constructor_error(f"duplicate key {key!r}", key_node)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: Any) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _constructor_error(problem: str, node: Any) -> Exception:
    import yaml

    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


# libyaml composes a document's nodes by C recursion, which overflows the C stack (the process
# dies with SIGSEGV, no exception) somewhere past 20,000 levels of nesting; the pure-Python
# loader raises RecursionError instead. A text nests at most as deep as its flow brackets plus
# its widest line (a block level takes a column of indentation, or a "- "), so only a text
# where that bound passes this is read by the pure-Python loader; real packs and registries
# are far below it (the largest shipped file: 760 brackets, lines of 220 characters).
_C_LOADER_MAX_DEPTH = 5000


def _might_nest_deeper_than(text: str, depth: int) -> bool:
    brackets = text.count("[") + text.count("{")
    return brackets + max(map(len, text.splitlines()), default=0) > depth


@cache
def _line_loader(pure_python: bool = False) -> type:
    """The loader class, made on first use: importing PyYAML costs ~10 ms that a run whose
    files all come from the cache never needs to pay."""
    import yaml

    # The C loader is several times faster on the registry; fall back to pure Python when
    # PyYAML was built without libyaml.
    base: type = yaml.SafeLoader if pure_python else getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = type("_LineLoader", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return loader


def _parse(text: str, path: Path) -> Any:
    """Parse YAML text; syntax errors become AttribauditError naming file and line."""
    import yaml

    loader = _line_loader(_might_nest_deeper_than(text, _C_LOADER_MAX_DEPTH))
    try:
        return yaml.load(text, Loader=loader)
    except RecursionError:
        raise AttribauditError("invalid YAML: nested too deeply to read", str(path)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # At the end of the stream the problem mark sits past the last line ("[" never closed);
        # the context mark then says where the unfinished construct began.
        if exc.context_mark is not None and mark is not None and mark.line >= text.count("\n"):
            mark = exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if line is not None:
            line = min(line, max(1, len(text.rstrip().splitlines())))
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise AttribauditError(f"invalid YAML: {problem}", str(path), line) from None
    except yaml.YAMLError as exc:
        raise AttribauditError(f"invalid YAML: {exc}", str(path)) from None


# A rule pack or registry is read up to this size: the shipped registry is about 0.3 MB, and
# a device or a pipe given as one (`--rules /dev/zero`) would otherwise be read until memory
# runs out.
DATA_FILE_LIMIT = 64 * 1024 * 1024


def read_text(path: Path, noun: str = "file", *, limit: int | None = None) -> str:
    """A hand-written data file's text, as `Path.read_text` gives it; every way reading it can
    fail is an AttribauditError naming the file. `noun` says what the file is in the messages
    ("config file not found"). With `limit`, more bytes than that is an error: a device or a
    pipe has no size to check first, and /dev/zero never ends."""
    return _decode(_read_bytes(path, noun, limit), path, noun)


def _read_bytes(path: Path, noun: str, limit: int | None = None) -> bytes:
    try:
        if limit is None:
            return path.read_bytes()
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            size = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit} bytes"
            raise AttribauditError(f"{noun} is larger than {size}: not a {noun}?", str(path))
        return data
    except FileNotFoundError:
        raise AttribauditError(f"{noun} not found", str(path)) from None
    except IsADirectoryError:
        raise AttribauditError(f"path is a folder, not a {noun}", str(path)) from None
    except OSError as exc:
        raise AttribauditError(f"cannot read {noun}: {exc.strerror}", str(path)) from None


def _decode(data: bytes, path: Path, noun: str) -> str:
    """The file's text with universal newlines, as `Path.read_text` gives it."""
    try:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise AttribauditError(f"{noun} is not UTF-8 text ({exc.reason})", str(path)) from None


def load_yaml(path: Path | str, text: str | None = None) -> Any:
    """Parse one YAML file (or `text`, said to come from it); syntax errors become
    AttribauditError naming file and line. A file's parse may come from the user cache."""
    path = Path(path)
    if text is not None:
        return _parse(text, path)
    cache = _ParseCache.for_file(path)
    if cache is not None:
        found = cache.get()
        if found is not _ParseCache.MISS:
            return found
    # On a miss, parse the bytes the cache key was made from rather than reading them again.
    source = cache.source if cache is not None else _read_bytes(path, "file", DATA_FILE_LIMIT)
    data = _parse(_decode(source, path, "file"), path)
    if cache is not None:
        cache.put(data)
    return data


# -- the parse cache -----------------------------------------------------------------------------

# What a cached parse may hold: our containers and what YAML's safe schema builds. The cache is
# only a user's own folder, but a pickle that may name any class could run any code, so the
# unpickler refuses every other class; a refused or damaged file is only a cache miss.
_SAFE_CLASSES = {
    (__name__, "LineDict"): LineDict,
    (__name__, "LineList"): LineList,
}
_SAFE_DATETIME = frozenset({"date", "datetime", "timedelta", "timezone"})


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_CLASSES:
            return _SAFE_CLASSES[(module, name)]
        if module == "datetime" and name in _SAFE_DATETIME:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cached parse")


@cache
def _loader_digest() -> bytes:
    """A hash of this module's code: a cached parse is only reused by the loader that made it,
    so editing the loader (during development the version stays the same) re-parses."""
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).digest()
    except OSError:  # no source to read (a frozen app): only the version guards the cache
        return b""


class _ParseCache:
    """One file per YAML file parsed, named by its path, holding (key, parse).

    The key hashes the file's bytes with attribaudit's version, this loader's code and the
    Python version, so any edit to the file or the code misses and the file is written anew;
    naming the cache file by the data file's path keeps one entry per data file however often
    it changes. Every failure (unwritable folder, damaged or foreign file, a race with another
    process) only costs a re-parse: the cache never changes what loading returns or raises.
    """

    MISS = object()

    def __init__(self, file: Path, key: bytes, source: bytes) -> None:
        self.file = file
        self.source = source  # the data file's bytes, which the key hashes
        self.key = key

    @classmethod
    def for_file(cls, path: Path) -> _ParseCache | None:
        directory = user_cache_dir()
        if directory is None:
            return None
        try:
            data = _read_bytes(path, "file", DATA_FILE_LIMIT)
            where = str(path.resolve())
        except (AttribauditError, OSError, RuntimeError):
            return None  # reading it again will raise the usual error
        digest = hashlib.sha256()
        for part in (__version__, sys.version.split()[0], _loader_digest().hex()):
            digest.update(part.encode() + b"\0")
        digest.update(data)
        name = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return cls(directory / "yaml" / f"{name}.pickle", digest.digest(), data)

    def get(self) -> Any:
        try:
            with open(self.file, "rb") as stream:
                key, data = _SafeUnpickler(stream).load()
        except Exception:  # absent, damaged, refused, from another version: all mean re-parse
            return self.MISS
        return data if key == self.key else self.MISS

    def put(self, data: Any) -> None:
        try:
            self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Write a temporary file and rename it, so a reader never sees half a file.
            fd, temporary = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as stream:
                    pickle.dump((self.key, data), stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.file)
            except BaseException:
                os.unlink(temporary)
                raise
        except Exception:
            pass  # a cache that cannot be written only costs speed


# -- locating errors -----------------------------------------------------------------------------


def locate(data: Any, loc: Sequence[int | str]) -> int | None:
    """The line of the deepest node reached by following `loc` (a pydantic error location)."""
    line = getattr(data, "line", None) or None
    node = data
    for key in loc:
        if isinstance(node, LineDict) and key in node:
            line = node.key_lines.get(key, line)
            node = node[key]
        elif isinstance(node, LineList) and isinstance(key, int) and 0 <= key < len(node):
            line = node.item_lines[key]
            node = node[key]
        else:
            break
        inner = getattr(node, "line", None)
        if inner:
            line = inner
    return line


def validation_error(
    path: Path | str, data: Any, errors: Iterable[Mapping[str, Any]], what: str
) -> AttribauditError:
    """Turn pydantic's errors into one AttribauditError at the first error's line."""
    errors = list(errors)
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    message = f"invalid {what}: {dotted}: {first.get('msg', 'invalid value')}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return AttribauditError(message, str(path), locate(data, loc))

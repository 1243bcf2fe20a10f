"""YAML loading that remembers where every mapping and list item came from.

Rule packs and registries are written by hand, so an error must say "file:line". PyYAML's
composer already knows each node's line; this loader keeps it on the constructed containers and
`locate()` turns a pydantic error location (a tuple of keys and indexes) back into a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from .models import AttribauditError

# The C loader is several times faster on the registry; fall back to pure Python when PyYAML was
# built without libyaml.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", key_node.start_mark
            ) from exc
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path | str, text: str | None = None) -> Any:
    """Parse one YAML file; syntax errors become AttribauditError naming file and line."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise AttribauditError("file not found", str(path)) from None
        except UnicodeDecodeError as exc:
            raise AttribauditError(f"not UTF-8 text ({exc.reason})", str(path)) from None
        except OSError as exc:
            raise AttribauditError(f"cannot read: {exc.strerror}", str(path)) from None
    try:
        return yaml.load(text, Loader=_LineLoader)
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

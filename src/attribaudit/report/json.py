"""`--format json`: the version-1 contract as one object."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..models import RuleInfo


def render(report: dict[str, Any], rules: Sequence[RuleInfo]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)

"""The rule shapes, by ``rule:`` name. Importing this package registers every shape.

A sheet item is validated against the shape its ``rule`` names; everything that
depends on what a shape means goes through ``SHAPES`` (or the item's own
methods), never through a chain of type tests. To add a shape: write one module
here with a ``@register``-ed ``ItemBase`` subclass (every module of this package
but the shared helpers is imported, so nothing else needs its name), its tests,
and its input in ``ui/rules``.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import SHAPES, GapContext, ItemBase, ScoreContext, Window

_SHARED = {"base", "answers", "conditions", "points"}  # helpers, not shapes
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _SHARED:
        importlib.import_module(f"{__name__}.{_module}")  # each shape module registers itself

__all__ = ["SHAPES", "GapContext", "ItemBase", "ScoreContext", "Window"]

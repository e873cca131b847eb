"""The rule shapes, by ``rule:`` name. Importing this package registers every shape.

A sheet item is validated against the shape its ``rule`` names; everything that
depends on what a shape means goes through ``SHAPES`` (or the item's own
methods), never through a chain of type tests. To add a shape: write one module
here with a ``@register``-ed ``ItemBase`` subclass, its tests, and its input in
``ui/rules``.
"""

from __future__ import annotations

from . import band, choice, entries, flag, indicators, linear, record, tiers, tiers_by  # noqa: F401  (registers)
from .base import SHAPES, GapContext, ItemBase, ScoreContext, Window

__all__ = ["SHAPES", "GapContext", "ItemBase", "ScoreContext", "Window"]

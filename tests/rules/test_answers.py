"""A whole number within its bounds skips the checks it would pass: the same value and the same problems as
the full checks give, at every bound."""

from __future__ import annotations

import itertools
from decimal import Decimal

from scorer.rules.answers import AnswerChecker


class _Whole(int):
    """An int the shortcut does not take (it takes ``int`` itself only), so the full checks run."""


VALUES = [0, 1, 2, 59, 60, 61, 998, 999, 1000, 10**9 - 1, 10**9, 10**9 + 1, 10**31, -1, -(10**9)]
BOUNDS = [None, Decimal(0), Decimal(1), Decimal(60), Decimal("60.5"), Decimal(999), Decimal(10**9)]


def test_a_whole_number_gets_what_the_full_checks_give() -> None:
    for value, maximum, minimum, integer in itertools.product(VALUES, BOUNDS, BOUNDS, (True, False)):
        short, full = AnswerChecker(), AnswerChecker()
        got = short.number(value, ("n",), integer=integer, maximum=maximum, minimum=minimum, what="数")
        want = full.number(_Whole(value), ("n",), integer=integer, maximum=maximum, minimum=minimum, what="数")
        assert got == want and type(got) is type(want), (value, maximum, minimum)
        assert short.problems == full.problems, (value, maximum, minimum)


def test_yes_and_no_are_not_numbers() -> None:
    checker = AnswerChecker()
    assert checker.number(True, ("n",), what="数") is None
    assert checker.problems[0].message == "数应填数字，实际为「True」"

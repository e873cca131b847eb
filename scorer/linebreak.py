"""How many lines a text takes when an office suite wraps it in a cell of a given width.

Widths are display columns: a Chinese (wide, full-width or ambiguous-width) character counts two, any
other one. A line may break before or after a Chinese character (汉字, kana), except before closing
punctuation (、，。；：）」 may not begin a line) and after opening punctuation (（「 may not end one), and at
a space, which is dropped at the end of the line. Everything else — a run of Latin letters, digits,
signs and the punctuation between them (``0.8``, ``SCI/EI``, ``1、0.8、0.6``) — is taken as one word
that moves to the next line whole. The suites break at least there (LibreOffice keeps ``1、0.8、0.6``
together), so the count errs towards more lines; so do the widths (a Latin letter is narrower than a
digit-width column, a space much narrower). A row sized from this count does not cut its text.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

NO_LINE_START = set("、，。；：！？）」』】〉》’”…,.;:!?)]}%")
NO_LINE_END = set("（「『【〈《‘“([{")


def char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 1


def _letter(char: str) -> bool:
    """A Chinese character or kana: a line may break on either side of it."""
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char) == "Lo"


@lru_cache(maxsize=8192)
def _kind(char: str) -> tuple[int, bool]:
    """(display width, a Chinese character or kana), looked up once per character a table uses."""
    return char_width(char), _letter(char)


def _may_break(prev: str, char: str) -> bool:
    if char in NO_LINE_START or prev in NO_LINE_END:
        return False
    return _letter(prev) or _letter(char) or (prev in NO_LINE_START and char_width(prev) == 2 and char_width(char) == 2)


@dataclass(frozen=True)
class Paragraph:
    """One line of a cell's text (between newlines), as the break opportunities a wrap may use:
    ``ends[k]`` is the width up to a point where a line may end, ``starts[k]`` where the next line
    then begins (after any spaces)."""

    width: int
    ends: tuple[int, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Paragraph:
        ends: list[int] = []
        starts: list[int] = []
        at = 0
        pending_end: int | None = None  # a break seen at spaces, its line end before them
        prev = ""
        prev_width, prev_letter = 0, False
        for char in text:
            if char == " ":
                if prev and prev != " " and pending_end is None:
                    pending_end = at
                at += 1
                prev, prev_width, prev_letter = char, 1, False
                continue
            width, letter = _kind(char)
            if pending_end is not None:
                ends.append(pending_end)
                starts.append(at)
                pending_end = None
            elif prev and char not in NO_LINE_START and prev not in NO_LINE_END and (
                    prev_letter or letter or (prev in NO_LINE_START and prev_width == 2 and width == 2)):
                ends.append(at)  # _may_break(prev, char), with each character's kind looked up once
                starts.append(at)
            at += width
            prev, prev_width, prev_letter = char, width, letter
        return cls(at, tuple(ends), tuple(starts))

    def lines(self, per_line: float) -> int:
        """Lines at ``per_line`` columns: each line ends at the last break that fits; a word wider than
        the whole line is cut where the line is full, as the suites do."""
        count, start = 1, 0.0
        while self.width - start > per_line:
            k = bisect_right(self.ends, start + per_line) - 1
            if k >= 0 and self.ends[k] > start:
                start = self.starts[k]
            else:
                start += per_line
            count += 1
        return count


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph.of(line) for line in text.split("\n"))


def text_width(text: str) -> int:
    """Display columns of the widest line, unwrapped."""
    return display_widths(text)[0]


class _Widths(dict[str, int]):
    """Each character's display width, looked up once: a miss asks ``char_width`` and keeps the answer
    (up to ``KEPT`` characters, so a text of every code point cannot grow it without bound). Read as
    ``map(widths.__getitem__, line)``, a line is summed without a Python step per character."""

    KEPT = 1 << 16

    def __missing__(self, char: str) -> int:
        width = char_width(char)
        if len(self) < self.KEPT:
            self[char] = width
        return width


_WIDTHS = _Widths()


def display_widths(text: str) -> tuple[int, int]:
    """(the widest line's display columns, all lines' together), unwrapped: what ``paragraphs`` would say of
    the widths, without finding where the lines may break (a cell that fits its column never needs that).
    An ASCII character is one column, so an ASCII text is counted by its length."""
    if text.isascii():
        widths = [len(line) for line in text.split("\n")]
    else:
        width_of = _WIDTHS.__getitem__
        widths = [sum(map(width_of, line)) for line in text.split("\n")]
    return max(widths), sum(widths)

"""The page of GB/T 9704-2012 (党政机关公文格式), as numbers: A4, the text block (版心), the grid.

All lengths are PDF points (1/72 inch); vertical positions are measured **down from the
top of the page**, as the standard measures them (the renderer turns them around).

- §5.2.1 A4 (210 × 297 mm); §5.2.2 top margin (天头) 37 ± 1 mm, left margin (订口)
  28 ± 1 mm, text block 156 × 225 mm.
- §5.2.3 "一般每面排22行，每行排28个字": the text block is a grid of 22 lines of 28
  characters. 28 characters of 3号 (16 pt) are 158 mm, more than the block's 156 mm, so
  a character cell is 156/28 mm wide (as Word's document grid sets it: each 16 pt
  character is followed by a spacing of -0.21 pt) and a line cell 225/22 mm high.
- A line of text sits in its line cell with its em box centred vertically; for CJK fonts
  the baseline lies 0.88 em below the em box's top (ideographic em box: 0.88 ascent,
  0.12 descent), so the first baseline of a page is ``TOP + baseline_offset(size)``.
- §7.5 page numbers: 4号 (14 pt) 宋体 half-width digits between two 一字线 (``— 1 —``),
  the 一字线 7 mm below the block's lower edge; odd pages one character in from the
  right, even pages one character in from the left.
"""

from __future__ import annotations

MM = 72 / 25.4

PAGE_WIDTH = 210 * MM
PAGE_HEIGHT = 297 * MM
TOP = 37 * MM
LEFT = 28 * MM
BLOCK_WIDTH = 156 * MM
BLOCK_HEIGHT = 225 * MM
RIGHT = LEFT + BLOCK_WIDTH
BOTTOM = TOP + BLOCK_HEIGHT

LINES = 22
CHARS = 28
LINE_PITCH = BLOCK_HEIGHT / LINES  # 10.227 mm, 28.99 pt
CHAR_PITCH = BLOCK_WIDTH / CHARS  # 5.571 mm, 15.79 pt

# 字号 (Chinese point sizes) the standard names.
SIZE_2 = 22.0  # 2号: titles
SIZE_3 = 16.0  # 3号: body
SIZE_4 = 14.0  # 4号: page numbers, 版记
SIZE_RUNNING_HEAD = 10.5  # 5号: the running heads

# Where the baseline lies in the em box (from its top), for CJK fonts.
EM_ASCENT = 0.88

# §7.5: the 一字线 of the page number lies 7 mm below the text block; the dash sits about
# 0.3 em above the baseline in the Song faces, so the baseline is that much lower.
PAGE_NUMBER_GAP = 7 * MM
_DASH_HEIGHT = 0.3

RED = (0.9, 0.0, 0.0)
BLACK = (0.0, 0.0, 0.0)


def grid_spacing(size: float = SIZE_3) -> float:
    """The character spacing (PDF ``Tc``) that sets full-width characters of ``size`` on the
    grid's character pitch: -0.21 pt for 3号."""
    return CHAR_PITCH - size


def line_top(line: int) -> float:
    """The top of grid line ``line`` (0 = the first line of the text block)."""
    return TOP + line * LINE_PITCH


def baseline_offset(size: float = SIZE_3) -> float:
    """From a line cell's top to the baseline of text of ``size`` centred in it."""
    return (LINE_PITCH - size) / 2 + EM_ASCENT * size


def baseline(line: int, size: float = SIZE_3) -> float:
    """The baseline of text of ``size`` set on grid line ``line``."""
    return line_top(line) + baseline_offset(size)


def line_of(y: float) -> int:
    """The grid line that holds the vertical position ``y`` (the next one below when between)."""
    return max(0, int(-(-(y - TOP) // LINE_PITCH)))


def page_number_baseline() -> float:
    return BOTTOM + PAGE_NUMBER_GAP + _DASH_HEIGHT * SIZE_4


def page_number_x(number: int, width: float) -> float:
    """Left edge of a page number ``width`` wide: odd pages right, even pages left, one character in."""
    if number % 2:
        return RIGHT - SIZE_4 - width
    return LEFT + SIZE_4

"""职称自评分计算器 engine: sheets as data, claims validated against them, exact Decimal scoring.

No Streamlit here: the app, the CLI and the exports are all views over this package.
"""

from .claims import Claims, Entry, claims_from_data, claims_from_text, load_claims
from .engine import score
from .errors import ClaimError, DataError, SheetError
from .loader import SheetLibrary, load_sheet
from .model import Sheet
from .result import Result

__all__ = [
    "ClaimError",
    "Claims",
    "DataError",
    "Entry",
    "Result",
    "Sheet",
    "SheetError",
    "SheetLibrary",
    "claims_from_data",
    "claims_from_text",
    "load_claims",
    "load_sheet",
    "score",
]

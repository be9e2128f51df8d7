"""Name normalisation shared by extraction and every reader of the KB (a light module: the
query commands import it without the extractors)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def norm(name: str) -> str:
    """Normalise a name for comparison: accents, case, punctuation, possessive, "the"."""
    s = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("İ", "I"))  # Turkish dotless/dotted i
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^the ", "", s)

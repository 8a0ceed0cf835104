"""What makes two spellings one name, and what is not a name at all. A name's key folds case,
honorifics and titles, possessive and punctuation leftovers, hyphens and spaces in
transliterations ("Kim Jong-un", "Kim Jong Un"), name particles ("al-Assad", "al Assad", "Assad"),
diacritics ("Erdoğan", "Erdogan"), transliterated endings ("Sergey", "Sergei"; "Zelenskyy",
"Zelenskiy", "Zelensky"; words/transliterations.txt) and a given name's nickname before a surname
("Bob Mueller", "Robert Mueller"; words/nicknames.txt). Middle initials are not
folded here: "George W. Bush" is not "George Bush" by rule alone (kg.link.linker decides by
evidence)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.calendar import WEEKDAYS
from kg.extract.lexicon import HONORIFICS, TITLE_HEADS, TITLE_MODIFIERS, table, words

PARTICLES = words("name-particles")
NICKNAMES = table("nicknames")
TRANSLITERATIONS = [(re.compile(p), r) for p, r in table("transliterations").items()]
WIDGET_WORDS = words("widget-words")
INITIAL = re.compile(r"^[a-z]\.?$")


def _words(name: str) -> list[str]:
    text = _plain(unicodedata.normalize("NFKC", name)).casefold().replace("’", "'")
    text = re.sub(r"'s\b|'$", "", text)
    text = re.sub(r"\b((?:[a-z]\.){2,})", lambda m: " ".join(m.group(1).split(".")), text)  # "h.w." -> "h w"
    return [w for w in re.split(r"[\s\-‐–]+", re.sub(r"[^\w.\s\-‐–']", " ", text)) if w.strip(".'")]


@lru_cache(maxsize=1 << 18)  # a store's index asks for the same names' keys again and again
def name_key(name: str) -> str:
    """The key under which spellings of one name meet."""
    ws = _words(name)
    while len(ws) > 1 and (ws[0] in HONORIFICS or ws[0] in TITLE_HEADS):
        ws = ws[1:]
    ws = [w.strip(".'") for w in ws]
    ws = [w for w in ws if w not in PARTICLES] or ws
    if len(ws) >= 2:
        ws[0] = NICKNAMES.get(ws[0], re.sub(r"ey$", "ei", ws[0]))
    return " ".join(_transliterated(w) for w in ws)


def _plain(text: str) -> str:
    """Without diacritics: "Erdoğan" -> "Erdogan" (letters that decompose lose their marks)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _transliterated(word: str) -> str:
    for pattern, replacement in TRANSLITERATIONS:
        word = pattern.sub(replacement, word)
    return word


def without_initials(key: str) -> str:
    """'donald j trump' -> 'donald trump'."""
    ws = [w for w in key.split() if not INITIAL.match(w)]
    return " ".join(ws) if len(ws) >= 2 else key


def surname(name: str) -> str:
    return name_key(name).split()[-1] if name_key(name) else ""


NOT_NAME = re.compile(r"[/@\[\]‘“”\"]|https?:|\.com\b|pic\.twitter")  # credits ("Thomas Coex/AFP"), handles,
# links, and a quotation run into a name ("Smith ‘Make"; an apostrophe ’ stays: "O’Neill")


def not_a_name(name: str) -> bool:
    """'Trump Trump', 'Trump Sunday', 'Getty Trump', 'Email Sign', 'Thomas Coex/AFP', a title alone
    ('Crown Prince', 'Foreign Minister'): no one's name."""
    if NOT_NAME.search(name):
        return True
    ws = _words(name)
    return (len(ws) >= 2 and len(set(ws)) < len(ws)) or any(w in WEEKDAYS or w in WIDGET_WORDS for w in ws) \
        or len(ws) >= 2 and any(w in TITLE_HEADS for w in ws) and all(w in TITLE_HEADS | TITLE_MODIFIERS for w in ws)

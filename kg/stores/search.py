"""Full-text search over what the articles say: headlines, the evidence sentences of meetings and
statements, statements' words and the names each article gives people, organisations and places.

An SQLite FTS5 index (the standard library's sqlite3) in the store's directory. Every row comes
from one article's graph, so the index is kept in step by re-reading exactly the articles a batch
wrote or changed (`update`, called by every ingest); a search is an index lookup, never a scan of
the store's literals. Writes that bypass ingest (SPARQL Update, the Graph Store protocol) mark the
index stale until `rebuild` (`kg search --rebuild`) reads every article again.
"""
from __future__ import annotations

import functools
import html
import re
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.rdf import sparql
from kg.rdf.vocab import KG, SCHEMA

FILE = "kg-search.sqlite"
STALE = "kg-search-stale"  # a file beside it while writes not made by ingest may have changed articles
BATCH = 200  # articles read from the store per query
KINDS = ("statement", "meeting", "article", "person", "organisation", "place")
_OPEN, _CLOSE = "\x02", "\x03"  # around matched words in a snippet, before it is escaped for HTML
_TERM = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Hit:
    kind: str
    iri: str
    article: str
    label: str
    snippet: str  # HTML: the matching text with <mark> around the matched words
    articles: int  # for a name: how many articles give it


def match_expression(text: str) -> str:
    """The user's words as an FTS5 query: every word must occur ("a phrase" in quotes: in that order;
    a word ending in * is a prefix). Anything else FTS5 would read as syntax is taken as words."""
    terms = []
    for m in _TERM.finditer(text):
        phrase, word = m.group(1), m.group(2)
        if phrase is not None:
            words = re.findall(r"\w+", phrase)
            if words:
                terms.append('"' + " ".join(words) + '"')
            continue
        prefix = word.endswith("*")
        terms += [f'"{w}"' for w in re.findall(r"\w+", word)]
        if prefix and terms:
            terms[-1] += "*"
    return " ".join(terms)


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.new = not self.path.exists()  # made now: it holds none of the store's articles yet
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("""CREATE VIRTUAL TABLE IF NOT EXISTS hits USING fts5(text, label UNINDEXED, kind UNINDEXED,
                          iri UNINDEXED, article UNINDEXED, tokenize='unicode61 remove_diacritics 2')""")

    @classmethod
    def beside(cls, store) -> "SearchIndex | None":
        """The index of an embedded store on disk (None for one in memory or elsewhere); a store
        opened read-only may still have its index built: the index is a file of its own."""
        path = getattr(store, "path", None)
        return cls(Path(path) / FILE) if path else None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one piece of work, committed and closed at its end (the last one closed
        folds SQLite's write-ahead files back into the index)."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()

    # ------------------------------------------------------------ keeping in step
    @property
    def stale(self) -> bool:
        return (self.path.parent / STALE).exists()

    def mark_stale(self) -> None:
        (self.path.parent / STALE).touch()

    def keep_up(self, store: ox.Store, articles: Iterable[str]) -> int:
        """After a batch: these articles read again, or every article when the index is new or stale."""
        if self.new or self.stale:
            self.new = False
            return self.rebuild(store)
        return self.update(store, articles)

    def update(self, store: ox.Store, articles: Iterable[str]) -> int:
        """Read these articles' graphs again (an article no longer stored loses its rows). Returns
        the rows written."""
        articles = sorted(set(articles))
        written = 0
        with self._connect() as db:
            for at in range(0, len(articles), BATCH):
                part = articles[at:at + BATCH]
                db.executemany("DELETE FROM hits WHERE article = ?", [(a,) for a in part])
                rows = list(_rows(store, part))
                db.executemany("INSERT INTO hits (text, label, kind, iri, article) VALUES (?, ?, ?, ?, ?)", rows)
                written += len(rows)
        return written

    def rebuild(self, store: ox.Store) -> int:
        """Every article of the store read again; clears the stale mark."""
        with self._connect() as db:
            db.execute("DELETE FROM hits")
        articles = [r["a"].value for r in store.query(
            f"SELECT ?a WHERE {{ GRAPH ?a {{ ?a a <{KG.Article}> }} }}", use_default_graph_as_union=True)]
        written = self.update(store, articles)
        (self.path.parent / STALE).unlink(missing_ok=True)
        return written

    # ------------------------------------------------------------ searching
    def iris(self, text: str, *, kind: str | None = None) -> set[str]:
        """Every hit's IRI for the user's words (of one kind), for a query to start from."""
        return set(_hits(str(self.path), text, _state(str(self.path)), kind))

    def search(self, text: str, *, kind: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[Hit], int, dict[str, int]]:
        """(hits best first, how many in all, how many of each kind) for the user's words. A name
        is one hit however many articles give it."""
        expr = match_expression(text)
        if not expr:
            return [], 0, {}
        only, args = ("AND kind = ?", [kind]) if kind else ("", [])
        # names: one row per entity; facts and articles: one row each
        # (a bare column beside MIN() is taken from the row with the minimum: the best snippet)
        grouped = f"""WITH found AS MATERIALIZED (SELECT kind, iri, article, label, rank AS r,
                          snippet(hits, 0, '{_OPEN}', '{_CLOSE}', '…', 20) AS snip FROM hits WHERE hits MATCH ? {only})
                      SELECT kind, iri, article, label, snip, COUNT(*), MIN(r) AS best FROM found GROUP BY kind, iri"""
        with self._connect() as db:
            try:
                counts = dict(db.execute("SELECT kind, COUNT(DISTINCT iri) FROM hits WHERE hits MATCH ? GROUP BY kind",
                                         [expr]).fetchall())
                rows = db.execute(f"{grouped} ORDER BY best, iri LIMIT ? OFFSET ?", [expr, *args, limit, offset]).fetchall()
            except sqlite3.OperationalError as e:
                raise ValueError(f"cannot search for {text!r}: {e}") from None
        total = counts.get(kind, 0) if kind else sum(counts.values())
        return [Hit(k, iri, a, label, _marked(snippet), n if k in ENTITY_KINDS else 1)
                for k, iri, a, label, snippet, n, _r in rows], total, counts


ENTITY_KINDS = ("person", "organisation", "place")
MATCHES = ox.NamedNode(f"{KG}matches")  # kg:matches(?x, "words"): is ?x a hit for the words?
TRUE, FALSE = ox.Literal(True), ox.Literal(False)


def index_of(store: str | Path | None) -> str | None:
    """The search index of the store at this path (KG_STORE), when it has one."""
    path = Path(store) / FILE if store and "://" not in str(store) else None
    return str(path) if path is not None and path.exists() else None


def functions(index: str | None) -> dict | None:
    """The extension functions a query may call when the store has a search index: kg:matches(?x,
    "words") is true when ?x (a statement, meeting, article or entity) is a hit for the words. The
    hits of each words are looked up once per query process and index state, then each call is a
    set lookup."""
    if index is None:
        return None

    def matches(x: object, words: object) -> ox.Literal | None:
        if not isinstance(words, ox.Literal):
            return None  # an error in SPARQL's sense: the FILTER drops the row
        try:
            found = _hits(index, words.value, _state(index))
        except ValueError:
            return None  # words the index cannot read: an error in SPARQL's sense
        return TRUE if getattr(x, "value", None) in found else FALSE
    return {MATCHES: matches}


def _state(index: str) -> tuple[int, ...]:
    """Changes whenever the index does (its file, or its write-ahead file while a writer has it open)."""
    return tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (Path(index), Path(index + "-wal")))


@functools.lru_cache(maxsize=64)
def _hits(index: str, words: str, _state: tuple[int, ...], kind: str | None = None) -> frozenset[str]:
    """The IRIs of the hits (of one kind) for the words, read-only; remembered per index state."""
    expr = match_expression(words)
    if not expr:
        return frozenset()
    only, args = ("AND kind = ?", [kind]) if kind else ("", [])
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=30)
    try:
        return frozenset(r[0] for r in db.execute(f"SELECT DISTINCT iri FROM hits WHERE hits MATCH ? {only}",
                                                  [expr, *args]))
    except sqlite3.OperationalError as e:
        raise ValueError(f"cannot search for {words!r}: {e}") from None
    finally:
        db.close()


def _marked(snippet: str) -> str:
    return html.escape(snippet).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _rows(store: ox.Store, articles: list[str]) -> Iterator[tuple[str, str, str, str, str]]:
    """(text, label, kind, iri, article) of each searchable thing in these articles' graphs. Each
    query starts from the articles' VALUES (inside a subquery: outside, Oxigraph would evaluate it
    over every article first); the names of speakers and participants are read in one lookup."""
    only = f"VALUES ?a {{ {sparql.iris(articles)} }}"
    said: dict[tuple[str, str], list[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    agents: dict[tuple[str, str], set[str]] = {}
    for r in _select(store, f"""SELECT ?a ?x ?text ?sentence ?agent WHERE {{ {only} GRAPH ?a {{
            ?x a ?c ; <{KG.evidence}>/<{KG.sentence}> ?sentence VALUES ?c {{ <{KG.Statement}> <{KG.Meeting}> }}
            OPTIONAL {{ ?x <{KG.text}> ?text }} OPTIONAL {{ ?x <{KG.speaker}>|<{KG.participant}> ?agent }} }} }}"""):
        key = (r["a"], r["x"])
        said.setdefault(key, [])
        if r["sentence"] not in said[key]:
            said[key].append(r["sentence"])
        if r["text"]:
            texts[key] = r["text"]
        agents.setdefault(key, set()).update([r["agent"]] if r["agent"] else [])
    names = _names(store, {x for who in agents.values() for x in who})
    for r in _select(store, f"SELECT ?a ?h WHERE {{ {only} GRAPH ?a {{ ?a <{SCHEMA.headline}> ?h }} }}"):
        yield r["h"], r["h"], "article", r["a"], r["a"]
    for (a, x), sentences in sorted(said.items()):
        who = sorted(names.get(p, p) for p in agents[(a, x)])
        if (a, x) in texts:  # a statement: its words, its evidence, who said it
            label = f"{who[0] if who else 'a source'}: “{texts[(a, x)]}”"
            yield " ".join([texts[(a, x)], *sentences, *who]), label, "statement", x, a
        else:
            label = f"meeting of {', '.join(who) or 'unnamed participants'}"
            yield " ".join([*sentences, *who]), label, "meeting", x, a
    for r in _select(store, f"""SELECT ?a ?e ?t ?name ?forms WHERE {{
            {{ SELECT ?a ?e (GROUP_CONCAT(DISTINCT ?form; separator=" · ") AS ?forms) WHERE {{ {only}
              GRAPH ?a {{ ?e <{KG.surfaceForm}> ?form }} }} GROUP BY ?a ?e }}
            ?e a ?t ; <{SCHEMA.name}> ?name . VALUES ?t {{ <{KG.Person}> <{KG.Organisation}> <{KG.Place}> }} }}"""):
        kind = r["t"].rsplit("#", 1)[-1].lower()
        yield f"{r['name']} {r['forms']}", r["name"], kind, r["e"], r["a"]


def _select(store: ox.Store, query: str) -> Iterator[dict[str, str]]:
    res = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    for s in res:
        yield {n: (s[n].value if s[n] is not None else "") for n in names}


def _names(store: ox.Store, iris: set[str]) -> dict[str, str]:
    if not iris:
        return {}
    return {r["x"]: r["n"] for r in _select(store, f"""SELECT ?x (SAMPLE(?name) AS ?n) WHERE {{
        VALUES ?x {{ {sparql.iris(iris)} }} ?x <{SCHEMA.name}> ?name }} GROUP BY ?x""")}

"""User queries run in worker processes, each on a read-only snapshot of the store, so that a
query past its deadline is stopped for real: its process is killed and the CPU is free again.

pyoxigraph has no query timeout or cancellation, and a deadline checked between rows cannot stop
ORDER BY, GROUP BY or COUNT, which compute everything before the first row. A snapshot is an
Oxigraph backup (a RocksDB checkpoint: hard links, taken in milliseconds); every write through
the server takes a new one, and workers on an older snapshot are replaced before they answer
again, so a query always sees the writes that returned before it. A worker on a store of at most
KG_MEMORY_QUADS quads copies its snapshot into memory while it already answers from disk, and
evaluates there once the copy is done.
"""
from __future__ import annotations

import csv
import hashlib
import os
import io
import logging
import itertools
import multiprocessing as mp
import queue
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.rdf.formats import FORMATS
from kg.rdf.sparql import QueryError, QuerySyntaxError, run
from kg.rdf.sparqltext import capped
from kg.serve.confine import Confinement
from kg.stores.search import functions

CHUNK = 1 << 20
log = logging.getLogger(__name__)


def query_hash(query: str) -> str:
    """How a crash log names a query without repeating it (which may be large or private)."""
    return hashlib.sha256(query.encode("utf-8", "replace")).hexdigest()[:16]


class QueryTimeout(RuntimeError):
    """The query was stopped (its process replaced): past the timeout, or past the memory ceiling."""


class QueryTooLarge(QueryTimeout):
    pass


class NotAcceptable(ValueError):
    """The result is of a kind (solutions, boolean, graph) the client accepts no format for."""


@dataclass(frozen=True)
class Job:
    query: str
    results_format: str | None  # format for SELECT/ASK results, None when the client accepts none
    graph_format: str | None  # format for CONSTRUCT/DESCRIBE results
    limit: int
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    search: str | None = None  # the store's search index, for kg:matches (kg.stores.search)


@dataclass(frozen=True)
class Answer:
    kind: str  # "solutions", "boolean" or "graph"
    format: str
    truncated: bool
    size: int
    chunks: Iterator[bytes]


# ---------------------------------------------------------------- in the worker
def evaluate(store: ox.Store, job: Job) -> tuple[str, str, bool, bytes]:
    """(kind, format, truncated, body): at most job.limit rows, or triples for a graph.

    The query runs once with LIMIT limit+1 (unless its own LIMIT is lower) and is written in the
    format asked for. Only a body that may hold more than `limit` rows (`_most_rows`) is parsed to
    count them, and only a result that really has more runs again with LIMIT limit: small answers
    cost nothing extra.
    A syntax error is reported where the user's text has it, not in the LIMIT added to it."""
    query = capped(job.query, job.limit + 1)
    try:
        kind, fmt, body = _run(store, job, query or job.query)
    except QuerySyntaxError:
        if query is None:
            raise
        _run(store, job, job.query)  # the error as the user wrote the query, not at the added LIMIT
        raise
    if query is None or _most_rows(kind, fmt, body) <= job.limit or _count(kind, fmt, body) <= job.limit:
        return kind, fmt, False, body
    if kind == "graph":
        triples = itertools.islice(ox.parse(body, format=FORMATS.get(fmt).ox), job.limit)
        return kind, fmt, True, ox.serialize(triples, format=FORMATS.get(fmt).ox)
    kind, fmt, body = _run(store, job, capped(job.query, job.limit) or job.query)
    return kind, fmt, True, body


def _run(store: ox.Store, job: Job, query: str) -> tuple[str, str, bytes]:
    result = run(store, query, default_graph=job.default_graph, named_graphs=job.named_graphs,
                 base_iri=job.base_iri, functions=functions(job.search))
    out = io.BytesIO()
    try:
        if isinstance(result, ox.QueryBoolean):
            if job.results_format not in ("json", "xml"):
                raise NotAcceptable("a boolean result is available as SPARQL JSON or XML only")
            result.serialize(out, FORMATS.get(job.results_format).ox)
            return "boolean", job.results_format, out.getvalue()
        if isinstance(result, ox.QueryTriples):
            if job.graph_format is None:
                raise NotAcceptable("no acceptable RDF format for a graph result")
            result.serialize(out, FORMATS.get(job.graph_format).ox)
            return "graph", job.graph_format, out.getvalue()
        if job.results_format is None:
            raise NotAcceptable("no acceptable results format for a SELECT result")
        result.serialize(out, FORMATS.get(job.results_format).ox)
        return "solutions", job.results_format, out.getvalue()
    except OSError as e:  # evaluation errors surface while the lazy results are read
        raise QueryError(str(e)) from None


def _most_rows(kind: str, fmt: str, body: bytes) -> int:
    """At least as many as the rows or triples in `body`, counted in C: pyoxigraph writes a
    `},{` between two JSON rows, an XML row as `<result>`, a TSV or CSV row on one line or more
    (a literal can only add to these). Only a body over the limit by this count is parsed."""
    if kind == "solutions" and fmt == "json":
        return body.count(b"},{") + 1
    if kind == "solutions" and fmt == "xml":
        return body.count(b"<result>")
    if kind == "solutions" and fmt in ("tsv", "csv"):
        return body.count(b"\n")
    return len(body)  # every triple takes more than one byte


def _count(kind: str, fmt: str, body: bytes) -> int:
    if kind == "graph":
        return sum(1 for _ in ox.parse(body, format=FORMATS.get(fmt).ox))
    if fmt == "csv":  # pyoxigraph does not read CSV results back (lossy); rows may span lines
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
    return sum(1 for _ in ox.parse_query_results(body, FORMATS.get(fmt).ox))


def in_memory(store: ox.Store, limit: int) -> ox.Store | None:
    """An in-memory copy of `store` when it holds at most `limit` quads, else None."""
    if len(store) > limit:
        return None
    memory = ox.Store()
    memory.bulk_extend(store.quads_for_pattern(None, None, None, None))
    return memory


def _worker_main(conn: Connection, snapshot: str, memory_quads: int, confinement: Confinement) -> None:
    """Answer jobs on the snapshot; when it holds at most `memory_quads` quads, a thread copies it
    into an in-memory store meanwhile, and the jobs after the copy is done run there (the same
    quads, evaluated two to four times faster than on disk)."""
    confinement.apply()
    disk = ox.Store.read_only(snapshot)
    current = [disk]

    def copy() -> None:
        memory = in_memory(disk, memory_quads)
        if memory is not None:
            current[0] = memory

    if memory_quads > 0:
        threading.Thread(target=copy, daemon=True, name="memory-copy").start()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            kind, fmt, truncated, body = evaluate(current[0], job)
        except NotAcceptable as e:
            conn.send(("not-acceptable", str(e)))
            continue
        except Exception as e:  # noqa: BLE001 — any failure is this query's, not the worker's
            conn.send(("error", str(e) if isinstance(e, QueryError) else f"{type(e).__name__}: {e}"))
            continue
        if len(body) <= CHUNK:  # a small answer travels in one message
            conn.send(("ok", kind, fmt, truncated, len(body), body))
            continue
        conn.send(("ok", kind, fmt, truncated, len(body), None))
        for i in range(0, len(body), CHUNK):
            conn.send_bytes(body[i:i + CHUNK])
        conn.send_bytes(b"")


# ---------------------------------------------------------------- in the server
class _Worker:
    def __init__(self, ctx, snapshot: Path, generation: int, memory_quads: int, confinement: Confinement) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, str(snapshot), memory_quads, confinement),
                                   daemon=True)
        self.process.start()
        child.close()
        self.generation = generation

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


@dataclass
class Snapshots:
    """Where the snapshots are and which is newest, shared with the processes that read them: the
    generation and the time of the last write live in shared memory, so a process sees a write
    before the write's answer is sent; `in_use` holds the generation each front process still
    reads on disk (0: none), which is kept until it moves on."""
    directory: Path
    boot: str  # versions of another run of the server never match
    generation: Any  # multiprocessing Value('q')
    modified: Any  # multiprocessing Value('d'): when the last write through the server returned
    in_use: Any  # multiprocessing Array('q')
    started: Any  # multiprocessing Array('c'): per front process, the hash of the last query it began

    def began(self, slot: int, query: str) -> None:
        self.started[slot * 16:(slot + 1) * 16] = query_hash(query).encode()

    def last_query(self, slot: int) -> str:
        return self.started[slot * 16:(slot + 1) * 16].decode(errors="replace").strip("\0") or "(none)"

    def path(self, generation: int) -> Path:
        return self.directory / f"gen-{generation}"

    @property
    def version(self) -> str:
        """Changes with every write through the server (HTTP validators are made from it)."""
        return f"{self.boot}-{self.generation.value}"


class SnapshotReader:
    """The newest snapshot, opened in this process (a front process, which evaluates queries
    itself): read-only on disk at once, then, for a store of at most `memory_quads` quads, from an
    in-memory copy a thread makes meanwhile. A query asks for the store before it runs, so it sees
    every write that returned before it arrived."""

    def __init__(self, snapshots: Snapshots, slot: int, memory_quads: int) -> None:
        self.snapshots, self.slot, self.memory_quads = snapshots, slot, memory_quads
        self._lock = threading.Lock()
        self._generation, self._store = 0, None

    def store(self) -> ox.Store:
        generation = self.snapshots.generation.value
        if generation != self._generation:
            with self._lock:
                if self.snapshots.generation.value != self._generation:
                    self._open()
        return self._store

    def _open(self) -> None:
        for _ in range(100):  # a write may retire the newest snapshot while it is being opened
            generation = self.snapshots.generation.value
            self.snapshots.in_use[self.slot] = generation
            try:
                disk = ox.Store.read_only(str(self.snapshots.path(generation)))
            except OSError:
                continue
            self._generation, self._store = generation, disk
            if self.memory_quads > 0:
                threading.Thread(target=self._copy, args=(generation, disk), daemon=True, name="memory-copy").start()
            return
        raise QueryError("the store's snapshots changed too fast to open one; try again")

    def _copy(self, generation: int, disk: ox.Store) -> None:
        memory = in_memory(disk, self.memory_quads)
        with self._lock:
            if memory is not None and self._generation == generation:
                self._store = memory
                self.snapshots.in_use[self.slot] = 0


def _remove_stale_snapshots(folder: Path) -> None:
    """Snapshot folders a server that was killed left beside its store (their pid is gone)."""
    for d in folder.glob(".snapshots-*"):
        pid = d.name.split("-")[1]
        if not pid.isdigit() or not Path(f"/proc/{pid}").exists():
            shutil.rmtree(d, ignore_errors=True)


class QueryPool:
    """A fixed number of query workers on the newest snapshot of `store` (a pyoxigraph Store on disk).
    With `lazy`, the workers start at the first query (a server whose front processes evaluate the
    queries may never need them)."""

    def __init__(self, store: ox.Store, store_path: str | Path, *, workers: int = 2, timeout: float = 30.0,
                 memory_quads: int = 0, front_slots: int = 0, lazy: bool = False,
                 confinement: Confinement = Confinement()) -> None:
        self.store, self.timeout, self.size, self.memory_quads = store, timeout, workers, memory_quads
        self.confinement = confinement
        self._ctx = mp.get_context("spawn")
        parent = Path(store_path).resolve().parent
        _remove_stale_snapshots(parent)
        directory = Path(tempfile.mkdtemp(prefix=f".snapshots-{os.getpid()}-", dir=parent))
        self.snapshots = Snapshots(directory, secrets.token_hex(4), self._ctx.Value("q", 0, lock=False),
                                   self._ctx.Value("d", time.time(), lock=False),
                                   self._ctx.Array("q", max(1, front_slots), lock=False),
                                   self._ctx.Array("c", 16 * max(1, front_slots), lock=False))
        self._lock = threading.Lock()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._live: list[_Worker] = []
        self._closed = False
        self._pending = threading.Lock() if lazy else None  # held until the lazy workers are started
        self.refresh()
        if not lazy:
            self._start()

    def _start(self) -> None:
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def refresh(self) -> None:
        """Take a new snapshot after a write; workers on older ones are replaced before they answer."""
        with self._lock:
            generation = self.snapshots.generation.value + 1
            self.store.flush()
            self.store.backup(str(self.snapshots.path(generation)))
            self.snapshots.generation.value = generation
            self.snapshots.modified.value = time.time()
            self._cleanup()

    @property
    def version(self) -> str:
        return self.snapshots.version

    @property
    def modified(self) -> float:
        return self.snapshots.modified.value

    def _spawn(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise QueryTimeout("the query service is shutting down")
            generation = self.snapshots.generation.value
            w = _Worker(self._ctx, self.snapshots.path(generation), generation, self.memory_quads, self.confinement)
            self._live.append(w)
            return w

    def _retire(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            if w in self._live:
                self._live.remove(w)
            self._cleanup()

    def _cleanup(self) -> None:
        in_use = {w.generation for w in self._live} | {self.snapshots.generation.value} | set(self.snapshots.in_use)
        for d in self.snapshots.directory.glob("gen-*"):
            if int(d.name[4:]) not in in_use:
                shutil.rmtree(d, ignore_errors=True)

    def run(self, job: Job) -> Answer:
        """Evaluate `job` in a worker. Raises QueryTimeout when it is not done in time (the worker
        is killed and replaced), QueryError for a bad query, NotAcceptable for a format mismatch."""
        deadline = time.monotonic() + self.timeout
        if self._pending is not None:
            with self._pending:
                if self._pending is not None:
                    self._start()
                    self._pending = None
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"all {self.size} query workers stayed busy for {self.timeout:g} s") from None
        if w.generation != self.snapshots.generation.value or not w.process.is_alive():
            self._retire(w)
            w = self._spawn()
        try:
            w.conn.send(job)
            self._wait(w, deadline)
            head = w.conn.recv()
        except (QueryTimeout, EOFError, OSError, BrokenPipeError) as e:
            if not isinstance(e, QueryTimeout):
                w.process.join(1)
                log.error("a query worker (pid %s) died, exit code %s, on the query of sha256 %s", w.process.pid,
                          w.process.exitcode, query_hash(job.query))
            self._retire(w)
            self._idle.put(self._spawn())
            if isinstance(e, QueryTimeout):
                raise
            raise QueryError(f"the query worker failed ({type(e).__name__}); try again") from None
        if head[0] != "ok":
            self._idle.put(w)
            raise (NotAcceptable if head[0] == "not-acceptable" else QueryError)(head[1])
        _, kind, fmt, truncated, size, body = head
        if body is not None:
            self._idle.put(w)
            return Answer(kind, fmt, truncated, size, iter((body,)))
        return Answer(kind, fmt, truncated, size, self._chunks(w))

    def _wait(self, w: _Worker, deadline: float) -> None:
        """Until the worker answers; QueryTimeout past the deadline, QueryTooLarge past the memory ceiling."""
        while not w.conn.poll(min(0.05, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                raise QueryTimeout(f"the query ran past the {self.timeout:g} s timeout and was stopped")
            if self.confinement.over(w.process.pid):
                raise QueryTooLarge(f"the query needed more than {self.confinement.memory_bytes >> 20} MB of "
                                    "memory (KG_QUERY_MEMORY) and was stopped")

    def _chunks(self, w: _Worker) -> Iterator[bytes]:
        done = False
        try:
            for chunk in iter(w.conn.recv_bytes, b""):
                yield chunk
            done = True
        finally:
            if done:
                self._idle.put(w)
            else:  # the client went away mid-answer: the worker's pipe holds unread data
                self._retire(w)
                self._idle.put(self._spawn())

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._live if w.process.is_alive()]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            live, self._live = self._live, []
        for w in live:
            w.kill()
        shutil.rmtree(self.snapshots.directory, ignore_errors=True)


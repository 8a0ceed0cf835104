"""`kg serve`'s front: prefork HTTP/1.1 processes on one listening socket, in front of the app.

Each front process answers SPARQL queries (GET and POST /sparql) itself, in-process, on its own
read-only snapshot of the store, copied into memory (`SnapshotReader`): no hop to another process,
no framework on the way. Every other request (pages, the graph store, writes, ingest, the service
description) goes on, whole, to the Flask app in the main process over a Unix socket, which holds
the store for writing; a write takes a new snapshot there before it answers, and a front process
looks at the newest generation before every query, so the next query sees the write.

pyoxigraph cannot stop a query, and it releases the GIL while it evaluates: a watchdog thread in
each front process answers a query that runs past KG_QUERY_TIMEOUT with 503, answers the other
queries still running in that process with 503 and Retry-After, and ends the process, which frees
the CPU at once; the supervisor (in the main process) starts another in its place. The other front
processes go on answering meanwhile.
"""
from __future__ import annotations

import http
import logging
import multiprocessing as mp
import os
import signal
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import pyoxigraph as ox
from werkzeug.datastructures import MultiDict
from werkzeug.http import parse_options_header

from kg.config import Config
from kg.rdf.formats import FORMATS
from kg.serve import caching
from kg.serve.confine import Confinement, resident_bytes
from kg.serve.engine import Answer, Job, Snapshots, SnapshotReader, evaluate
from kg.serve.protocol import query_reply, refused

log = logging.getLogger(__name__)
HEAD_LIMIT = 64 * 1024  # request line and headers
IDLE_SECONDS = 75.0  # a kept-alive connection with no request for this long is closed
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
              "expect", "content-length"}
REASONS = {s.value: s.phrase for s in http.HTTPStatus}


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    fields: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes = b""

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query_string(self) -> str:
        return self.target.partition("?")[2]

    @property
    def keep_alive(self) -> bool:
        connection = self.fields.get("connection", "").lower()
        return self.version == "HTTP/1.1" and "close" not in connection


class Reader:
    """Requests, one after another, from one client connection."""

    def __init__(self, sock: socket.socket, max_bytes: int) -> None:
        self.sock, self.max_bytes, self.buffer = sock, max_bytes, b""

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def _exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            if not self._fill():
                raise BadRequest(400, "the request body ended early")
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if len(self.buffer) > HEAD_LIMIT or not self._fill():
                raise BadRequest(400, "a chunk of the request body is malformed")
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def next(self) -> Request | None:
        """The next request, None when the client closed the connection between requests."""
        self.buffer = self.buffer.lstrip(b"\r\n")
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > HEAD_LIMIT:
                raise BadRequest(431, "the request head is too large")
            if not self._fill():
                if self.buffer.strip():
                    raise BadRequest(400, "the request ended before its head did")
                return None
            self.buffer = self.buffer.lstrip(b"\r\n")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        line, *lines = head.decode("latin-1").split("\r\n")
        parts = line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest(400, f"not an HTTP/1.x request line: {line[:100]!r}")
        headers, fields = [], {}
        for raw in lines:
            name, colon, value = raw.partition(":")
            if not colon or not name or name != name.strip():
                raise BadRequest(400, f"malformed header line: {raw[:100]!r}")
            value = value.strip()
            headers.append((name, value))
            key = name.lower()
            fields[key] = f"{fields[key]}, {value}" if key in fields else value
        request = Request(parts[0], parts[1], parts[2], headers, fields)
        request.body = self._body(request)
        return request

    def _body(self, request: Request) -> bytes:
        coding = request.fields.get("transfer-encoding", "").lower()
        length = request.fields.get("content-length")
        if not coding and length is None:
            return b""
        if coding and coding.split(",")[-1].strip() != "chunked":
            raise BadRequest(501, f"transfer coding {coding!r} is not supported")
        if not coding and (not length.isdigit() or "," in length):
            raise BadRequest(400, f"bad Content-Length {length!r}")
        if not coding and int(length) > self.max_bytes:
            raise BadRequest(413, f"the request body is larger than {self.max_bytes} bytes (KG_MAX_BYTES)")
        if request.fields.get("expect", "").lower() == "100-continue" and not self.buffer:
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        if not coding:
            return self._exactly(int(length))
        chunks, size = [], 0
        while True:
            try:
                n = int(self._line().split(b";")[0].strip(), 16)
            except ValueError:
                raise BadRequest(400, "a chunk size of the request body is malformed") from None
            if n == 0:
                while self._line():  # trailer fields, ignored
                    pass
                return b"".join(chunks)
            size += n
            if size > self.max_bytes:
                raise BadRequest(413, f"the request body is larger than {self.max_bytes} bytes (KG_MAX_BYTES)")
            chunks.append(self._exactly(n))
            if self._exactly(2) != b"\r\n":
                raise BadRequest(400, "a chunk of the request body is malformed")


_date = [0, ""]


def http_date() -> str:
    now = int(time.time())
    if _date[0] != now:
        _date[:] = [now, formatdate(now, usegmt=True)]
    return _date[1]


def response_bytes(status: int, headers: dict[str, str], body: bytes, *, close: bool, head: bool = False) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, '')}", f"Date: {http_date()}", "Server: newskg"]
    lines += [f"{k}: {v}" for k, v in headers.items() if k != "Content-Length"]
    if status not in (204, 304):
        lines.append(f"Content-Length: {len(body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if head or status in (204, 304) else body)


# ---------------------------------------------------------------- the watchdog
@dataclass(eq=False)
class Slot:
    """One query being evaluated: "running" until its answer is ready, then "sending"."""
    sock: socket.socket
    deadline: float
    state: str = "running"


@dataclass
class Watchdog:
    timeout: float
    confinement: Confinement = field(default_factory=Confinement)
    slots: set[Slot] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    busy: threading.Event = field(default_factory=threading.Event)

    def begin(self, sock: socket.socket) -> Slot:
        slot = Slot(sock, time.monotonic() + self.timeout)
        with self.lock:
            self.slots.add(slot)
        self.busy.set()
        return slot

    def ready(self, slot: Slot) -> bool:
        """The answer is computed: True when it may be sent (the watchdog has not answered it)."""
        with self.lock:
            if slot.state != "running":
                return False
            slot.state = "sending"
            return True

    def end(self, slot: Slot) -> None:
        with self.lock:
            self.slots.discard(slot)

    def run(self) -> None:
        while True:
            self.busy.wait()
            time.sleep(0.05)
            with self.lock:
                if not self.slots:
                    self.busy.clear()
                    continue
                now = time.monotonic()
                running = [s for s in self.slots if s.state == "running"]
                late = [s for s in running if s.deadline <= now]
                big = not late and bool(running) and self.confinement.over()
                if not late and not big:
                    continue
                for s in running:
                    s.state = "stopped"
            if big:
                log.error("front process %d stopped %d queries at %d MB", os.getpid(), len(running),
                          resident_bytes() >> 20)
            for s in running:
                if big:
                    message = (f"a query needed more than {self.confinement.memory_bytes >> 20} MB of memory "
                               "(KG_QUERY_MEMORY) and was stopped with the other queries of its server process")
                elif s in late:
                    message = f"the query ran past the {self.timeout:g} s timeout and was stopped"
                else:
                    message = ("another query in this server process ran past the timeout and the process was "
                               "restarted; send the query again")
                reply = refused(message, 503, **{"Retry-After": "1" if s not in late else "5"})
                try:
                    s.sock.sendall(response_bytes(reply.status, reply.headers, b"".join(reply.chunks), close=True))
                    s.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            end = time.monotonic() + 2.0  # answers already being sent are let through
            while time.monotonic() < end and any(s.state == "sending" for s in list(self.slots)):
                time.sleep(0.01)
            os._exit(3)


# ---------------------------------------------------------------- a front process
DUMPS = {"/dump.nq": "nquads", "/dump.trig": "trig"}
DUMP_SLOTS = 8  # dumps one front process sends at once; more get 503 and Retry-After


@dataclass
class Handler:
    config: Config
    snapshots: Snapshots
    reader: SnapshotReader
    watchdog: Watchdog
    upstream: str
    dumping: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(DUMP_SLOTS))

    def connection(self, sock: socket.socket) -> None:
        sock.settimeout(IDLE_SECONDS)
        reader = Reader(sock, self.config.max_bytes)
        try:
            while True:
                try:
                    request = reader.next()
                except BadRequest as e:
                    sock.sendall(response_bytes(e.status, {"Content-Type": "text/plain; charset=utf-8"},
                                                (str(e) + "\n").encode(), close=True))
                    return
                if request is None or not self.handle(sock, request):
                    return
        except (OSError, TimeoutError):
            pass
        finally:
            sock.close()

    def handle(self, sock: socket.socket, request: Request) -> bool:
        """Answer one request; False when the connection is to be closed."""
        if request.path == "/sparql" and request.method in ("GET", "POST"):
            done = self.query(sock, request)
            if done is not None:
                return done
        if request.path in DUMPS and request.method in ("GET", "HEAD"):
            self.dump(sock, request)
            return False
        self.relay(sock, request)
        return False

    def dump(self, sock: socket.socket, request: Request) -> None:
        """The whole store, streamed from this process's snapshot on this connection's own thread: a
        client that reads slowly holds only its thread, never one of the app's."""
        if not self.dumping.acquire(blocking=False):
            reply = refused(f"{DUMP_SLOTS} dumps are being sent by this process; try again later", 503,
                            **{"Retry-After": "30"})
            sock.sendall(response_bytes(reply.status, reply.headers, b"".join(reply.chunks), close=True))
            return
        try:
            fmt = FORMATS.get(DUMPS[request.path])
            head = (f"HTTP/1.1 200 OK\r\nDate: {http_date()}\r\nServer: newskg\r\nContent-Type: {fmt.content_type}\r\n"
                    f"Content-Disposition: attachment; filename=newskg.{fmt.ox.file_extension}\r\n"
                    f"Connection: close\r\n\r\n")
            sock.sendall(head.encode("latin-1"))
            if request.method == "HEAD":
                return
            batch = []
            for q in self.reader.store().quads_for_pattern(None, None, None, None):
                batch.append(q)
                if len(batch) == 20000:
                    sock.sendall(ox.serialize(batch, format=fmt.rdf))
                    batch = []
            if batch:
                sock.sendall(ox.serialize(batch, format=fmt.rdf))
        finally:
            self.dumping.release()

    def query(self, sock: socket.socket, request: Request) -> bool | None:
        """Answer a query here; None when it is not one (the app answers it)."""
        fields = request.fields
        accept = fields.get("accept", "")
        close = not request.keep_alive
        tag = None
        if request.method == "GET" and "authorization" not in fields:
            qs = request.query_string
            tag = caching.etag(self.snapshots.version, unquote(request.path) + "?" + qs, accept,
                               fields.get("accept-encoding", ""))
            if caching.fresh(tag, self.snapshots.modified.value, fields.get("if-none-match"),
                             fields.get("if-modified-since")):
                sock.sendall(response_bytes(304, {**caching.NOT_MODIFIED_HEADERS, "ETag": tag,
                                                  "Cache-Control": "no-cache"}, b"", close=close))
                return not close
        mimetype, options = parse_options_header(fields.get("content-type", ""))
        args = MultiDict(parse_qsl(request.query_string, keep_blank_values=True))
        slot = self.watchdog.begin(sock)
        try:
            reply = query_reply(
                request.method, args, mimetype, options.get("charset", "utf-8"),
                lambda: MultiDict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)),
                lambda: request.body, accept, f"http://{fields.get('host', 'localhost')}{request.path}",
                self.config, self.run)
            if reply is None:
                return None
            body = b"".join(reply.chunks)
            headers = reply.headers
            if tag is not None and reply.status == 200:
                headers = {**headers, **caching.validators(tag, self.snapshots.modified.value)}
            if self.watchdog.ready(slot):
                sock.sendall(response_bytes(reply.status, headers, body, close=close))
            else:
                return False
        finally:
            self.watchdog.end(slot)
        return not close

    def run(self, job: Job) -> Answer:
        self.snapshots.began(self.reader.slot, job.query)
        kind, fmt, truncated, body = evaluate(self.reader.store(), job)
        return Answer(kind, fmt, truncated, len(body), iter((body,)))

    def relay(self, sock: socket.socket, request: Request) -> None:
        """The request, whole, to the app in the main process; its answer back as it comes."""
        head = [f"{request.method} {request.target} HTTP/1.1"]
        head += [f"{k}: {v}" for k, v in request.headers if k.lower() not in HOP_BY_HOP]
        if request.body or request.method in ("POST", "PUT", "PATCH"):
            head.append(f"Content-Length: {len(request.body)}")
        head.append("Connection: close")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as up:
            up.settimeout(None)
            up.connect(self.upstream)
            up.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + request.body)
            while data := up.recv(65536):
                sock.sendall(data)


def _process_main(listener: socket.socket, upstream: str, snapshots: Snapshots, slot: int, config: Config) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    parent = mp.parent_process()

    def orphaned() -> None:  # the supervisor went away without stopping us
        if parent is not None:
            parent.join()
        os._exit(0)

    threading.Thread(target=orphaned, daemon=True).start()
    confinement = Confinement.of(config)
    confinement.apply()
    reader = SnapshotReader(snapshots, slot, config.memory_quads)
    reader.store()
    watchdog = Watchdog(config.query_timeout, confinement)
    threading.Thread(target=watchdog.run, daemon=True, name="watchdog").start()
    handler = Handler(config, snapshots, reader, watchdog, upstream)
    while True:
        try:
            sock, _ = listener.accept()
        except OSError:
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=handler.connection, args=(sock,), daemon=True).start()


# ---------------------------------------------------------------- the supervisor
class Front:
    """`processes` front processes on (host, port), kept at that number until `close`."""

    def __init__(self, config: Config, snapshots: Snapshots, upstream: str, host: str, port: int,
                 processes: int) -> None:
        self.config, self.snapshots, self.upstream = config, snapshots, upstream
        self.listener = socket.create_server((host, port), backlog=1024)
        self.port = self.listener.getsockname()[1]
        self._ctx = mp.get_context("spawn")
        self._procs: list[mp.process.BaseProcess | None] = [None] * processes
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def start(self) -> "Front":
        for slot in range(len(self._procs)):
            self._spawn(slot)
        threading.Thread(target=self._supervise, daemon=True, name="front-supervisor").start()
        return self

    def _spawn(self, slot: int) -> None:
        p = self._ctx.Process(target=_process_main, args=(self.listener, self.upstream, self.snapshots, slot,
                                                            self.config), daemon=True, name=f"kg-front-{slot}")
        p.start()
        with self._lock:
            self._procs[slot] = p

    def _supervise(self) -> None:
        from multiprocessing.connection import wait
        while not self._closed.is_set():
            with self._lock:
                procs = [p for p in self._procs if p is not None]
            wait([p.sentinel for p in procs], timeout=0.5)
            for slot, p in enumerate(list(self._procs)):
                if p is not None and not p.is_alive() and not self._closed.is_set():
                    p.join()
                    if p.exitcode != 3:  # 3: the watchdog ended it after answering 503
                        log.error("front process %d died (exit code %s); the last query it began has sha256 %s",
                                  p.pid, p.exitcode, self.snapshots.last_query(slot))
                    self.snapshots.in_use[slot] = 0
                    self._spawn(slot)

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in self._procs if p is not None and p.is_alive()]

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            procs, self._procs = self._procs, [None] * len(self._procs)
        for p in procs:
            if p is not None:
                p.kill()
                p.join(5)
        self.listener.close()


class Server:
    """The app behind its front: waitress on a private Unix socket in this process, the front
    processes on (host, port). `run` serves until interrupted; `start` serves from a thread."""

    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> None:
        from waitress import create_server
        svc = app.extensions["kg"]
        self._dir = tempfile.TemporaryDirectory(prefix="kg-serve-")
        upstream = str(Path(self._dir.name) / "app.sock")
        self.app_server = create_server(app, unix_socket=upstream, unix_socket_perms="600", threads=threads,
                                        clear_untrusted_proxy_headers=True)
        self.front = Front(svc.config, svc.pool.snapshots, upstream, host, port, svc.config.query_workers)
        svc.workers = self.front.pids
        self.url = f"http://{host}:{self.front.port}"

    def start(self) -> "Server":
        self.front.start()
        threading.Thread(target=self.app_server.run, daemon=True, name="app-server").start()
        return self

    def run(self) -> None:
        self.front.start()
        try:
            self.app_server.run()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
        finally:
            self.close()

    def close(self) -> None:
        self.front.close()
        self.app_server.close()
        self._dir.cleanup()


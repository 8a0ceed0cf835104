"""What every blueprint of the server shares: the services of the app, plain-text answers,
CORS headers, the write token check and CORS preflight."""
from __future__ import annotations

import hmac
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Response, current_app, request

from kg.config import Config
from kg.serve.engine import QueryPool
from kg.stores import EmbeddedStore, StoreError, disk_full
from kg.stores.search import SearchIndex

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-KG-Truncated, Vary, ETag"}


class DiskFull(RuntimeError):
    """A write found the store's disk full."""


@dataclass
class Services:
    config: Config
    store: EmbeddedStore
    pool: QueryPool
    write_lock: threading.Lock
    ingest: Callable | None = None  # kg.ingest.ingest_records, given by whoever wires the app
    workers: Callable[[], list[int]] | None = None  # the processes that answer queries, when not the pool's
    full: bool = False  # the last write found the disk full: the store is opened again before the next
    search: SearchIndex | None = None  # full-text search beside the store (kg.stores.search)

    def wrote_directly(self) -> None:
        """A write that was no ingest (SPARQL Update, the Graph Store protocol): the search index
        may no longer match the articles; it says so until it is built again."""
        if self.search is not None:
            self.search.mark_stale()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The write lock; after a full disk, the store opened again first (RocksDB refuses every write
        until then, even once space is back); a write that finds the disk full raises DiskFull."""
        with self.write_lock:
            if self.full:
                self.pool.store = None
                try:
                    self.store.reopen()
                except StoreError as e:
                    raise DiskFull(f"the store could not be opened again after a full disk: {e}") from None
                finally:
                    self.pool.store = self.store.ox
                self.full = False
            try:
                yield
            except Exception as e:
                if disk_full(e):
                    self.full = True
                    raise DiskFull(str(e)) from None
                raise


def disk_full_answer(e: DiskFull) -> Response:
    return text(f"the store's disk is full, nothing more was written ({e}); free some space and send it again: "
                "the server opens the store again by itself", 507)


def services() -> Services:
    return current_app.extensions["kg"]


def text(message: str, status: int, **headers: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers={**CORS, **headers})


def authorize() -> Response | None:
    """None when the request carries the write token, else the answer that refuses it."""
    token = services().config.update_token
    if not token:
        return text("this server is read-only (set KG_UPDATE_TOKEN to allow writes)", 403)
    given = request.headers.get("Authorization", "")
    if not given.startswith("Bearer "):
        return text("writes need 'Authorization: Bearer <token>'", 401, **{"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given[7:].strip().encode(), token.encode()):
        return text("wrong token", 403)
    return None


def preflight(methods: str) -> Response:
    return Response(status=204, headers={**CORS, "Access-Control-Allow-Methods": methods,
                                         "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
                                         "Access-Control-Max-Age": "86400"})


_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\])"
                   r"(?::\d{1,5})?$")


def host_url() -> str:
    """The server's own URL as the client named it, when the Host header is a host name or address
    (and port); otherwise http://localhost/ — a forged Host never reaches a page or a description."""
    host = request.host
    return request.host_url if _HOST.match(host or "") else "http://localhost/"

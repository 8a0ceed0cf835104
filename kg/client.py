"""`kg ingest --server URL`: articles read here, sent to a running `kg serve` (its /ingest, with
KG_UPDATE_TOKEN) in batches of JSON Lines; the server extracts and writes them while it goes on
answering queries."""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable

from kg.config import Config
from kg.http import Client, HTTPFailure
from kg.ingest import Summary, fail
from kg.read.sources import InputError, Record, read_inputs


def ingest_via_server(paths: Iterable[str], config: Config, url: str, *, batch: int = 50,
                      progress: Callable[[Summary], None] | None = None) -> Summary:
    """Send the articles under `paths` to the server at `url`; errors map back to the local files."""
    t0 = time.perf_counter()
    summary = Summary()
    endpoint = url.rstrip("/") + "/ingest"
    http = Client(timeout=3600, headers={"Authorization": f"Bearer {config.update_token}"})

    def send(records: list[Record]) -> None:
        body = "".join(json.dumps({"id": r.id, r.kind: r.body, **r.meta}) + "\n" for r in records).encode()
        try:
            answer = json.loads(http.send("POST", endpoint, body, content_type="application/x-ndjson"))
        except HTTPFailure as e:  # 400 with a summary: every article of the batch failed
            if e.status in (401, 403):
                raise RuntimeError(f"the server at {url} refused the write ({e.status}): set KG_UPDATE_TOKEN here to "
                                   "the token the server was started with (its KG_UPDATE_TOKEN; a server started "
                                   "without one is read-only)") from None
            if e.content_type != "application/json":
                raise RuntimeError(str(e)) from None
            answer = json.loads(e.body)
        summary.articles += answer["ingested"]
        summary.skipped += answer["skipped"]
        summary.quads = answer["quads"]
        for name in ("entities", "meetings", "statements"):
            setattr(summary, name, getattr(summary, name) + answer.get(name, 0))
        for message in answer["errors"]:  # "request:N: why" names the N-th record of the batch
            where, _, why = message.partition(": ")
            n = where.rpartition(":")[2]
            source = records[int(n) - 1].source if n.isdigit() and 0 < int(n) <= len(records) else where
            fail(summary, f"{source}: {why}")
        if progress:
            summary.seconds = time.perf_counter() - t0
            progress(summary)

    pending: list[Record] = []
    for item in read_inputs(paths, max_bytes=config.max_bytes):
        if isinstance(item, InputError):
            fail(summary, str(item))
            continue
        pending.append(item)
        if len(pending) == batch:
            send(pending)
            pending = []
    if pending:
        send(pending)
    summary.seconds = time.perf_counter() - t0
    return summary

"""Ingest while serving: authenticated POST /ingest runs the ingest pipeline the app was given (the
model is loaded by the first request that needs it, so a server that never ingests never maps
spaCy) under the write lock, each article one atomic write."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, request

from kg.read.sources import read_bytes
from kg.serve.common import CORS, DiskFull, authorize, disk_full_answer, preflight, services, text

ingest = Blueprint("ingest", __name__)


@ingest.route("/ingest", methods=["POST", "OPTIONS"])
def ingest_articles() -> Response:
    """Articles in the body (JSON Lines, or one text/HTML article; multipart: one per file) are
    extracted and written, each atomically, while queries go on; the query snapshot is renewed
    once the request's articles are in. Answers the ingest summary as JSON."""
    if request.method == "OPTIONS":
        return preflight("POST, OPTIONS")
    denied = authorize()
    if denied:
        return denied
    svc = services()
    if svc.ingest is None:
        return text("this server was started without an ingest pipeline", 501)
    limit = svc.config.max_bytes
    if request.mimetype == "multipart/form-data":
        items = [item for _name, f in request.files.items(multi=True)
                 for item in read_bytes(f.read(), f.filename or "upload", limit, id=Path(f.filename or "").stem or None)]
    else:
        items = list(read_bytes(request.get_data(), "request", limit, id=request.args.get("id") or None))
    try:
        with svc.writing():
            summary = svc.ingest(items, svc.config, store=svc.store)
            if summary.articles:
                svc.pool.refresh()
            if summary.stopped:
                svc.full = True  # the batch stopped on a full disk: open the store again before the next write
    except DiskFull as e:
        return disk_full_answer(e)
    body = {"ingested": summary.articles, "skipped": summary.skipped, "failed": summary.failed,
            "errors": summary.errors, "quads": summary.quads, "seconds": round(summary.seconds, 3),
            "entities": summary.entities, "meetings": summary.meetings, "statements": summary.statements}
    status = 507 if summary.stopped else 400 if summary.failed and not (summary.articles or summary.skipped) else 200
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=CORS)

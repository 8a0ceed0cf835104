"""Standard HTTP validators for every GET of the server: an `ETag` made of the store's version
(it changes with each write through the server), the URL and what the client accepts, and
`Last-Modified` from the time of the last write. A repeated request that sends the validator back
(`If-None-Match`, or `If-Modified-Since` with no `If-None-Match`) gets `304 Not Modified` before
any query runs. Every answer says `Cache-Control: no-cache`: a cache may keep it but must ask."""
from __future__ import annotations

import hashlib
from email.utils import formatdate, parsedate_to_datetime

from flask import Flask, Response, g, request

from kg.serve.common import CORS, services

CACHEABLE = {"GET", "HEAD"}


def install(app: Flask) -> None:
    app.before_request(_not_modified)
    app.after_request(_validators)


def _etag() -> str:
    """The request's validator, made once per request (both hooks ask for it)."""
    if "kg_etag" not in g:
        variant = "\x1f".join([services().pool.version, request.full_path, request.headers.get("Accept", ""),
                               request.headers.get("Accept-Encoding", "")])
        g.kg_etag = 'W/"' + hashlib.sha256(variant.encode()).hexdigest()[:24] + '"'
    return g.kg_etag


def _cacheable() -> bool:
    return request.method in CACHEABLE and "Authorization" not in request.headers and request.endpoint not in (
        "health", "static")


def _not_modified() -> Response | None:
    if not _cacheable():
        return None
    matches = request.headers.get("If-None-Match")
    if matches is not None:
        fresh = _etag() in {m.strip() for m in matches.split(",")} or matches.strip() == "*"
    elif since := request.headers.get("If-Modified-Since"):
        try:
            fresh = int(services().pool.modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            fresh = False
    else:
        return None
    if not fresh:
        return None
    return Response(status=304, headers={**CORS, "ETag": _etag(), "Cache-Control": "no-cache", "Vary": "Accept"})


def _validators(response: Response) -> Response:
    if _cacheable() and response.status_code == 200:
        response.headers["ETag"] = _etag()
        response.headers["Last-Modified"] = formatdate(services().pool.modified, usegmt=True)
        response.headers.setdefault("Cache-Control", "no-cache")
    return response

"""The SPARQL 1.1 Graph Store HTTP Protocol at /store: GET, HEAD, PUT, POST, DELETE of a graph named
by ?graph=, ?default or the URL itself; writes with the write token, each one atomic."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kg.rdf.formats import FORMATS
from kg.serve.common import DiskFull, authorize, disk_full_answer, host_url, services, text
from kg.serve.negotiate import choose

graph_store = Blueprint("graph_store", __name__)
GRAPH_ONLY = tuple(f.name for f in FORMATS.of_kind("rdf") if f.name not in ("nquads", "trig"))


@graph_store.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
@graph_store.route("/store/<path:_rest>", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def store_graph(_rest: str | None = None) -> Response:
    svc = services()
    if request.method in ("PUT", "POST", "DELETE"):
        denied = authorize()
        if denied:
            return denied
    if "default" in request.args:
        graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
    elif "graph" in request.args:
        try:
            graph = ox.NamedNode(request.args["graph"])
        except ValueError as e:
            return text(f"graph is not an absolute IRI: {e}", 400)
    elif _rest is not None:
        graph = ox.NamedNode(request.base_url)  # direct identification: the URL names the graph
    elif request.method == "POST":
        graph = ox.NamedNode(f"{host_url()}store/{uuid.uuid4()}")  # a new graph, named by the server
    else:
        return text("name a graph with ?graph=IRI or ?default", 400)
    if request.method in ("GET", "HEAD"):
        if not svc.store.graph_exists(graph):
            return text("no such graph", 404)
        fmt = choose("rdf", "turtle", allow=GRAPH_ONLY)
        if fmt is None:
            return text("no acceptable RDF format for a graph", 406)
        body = ox.serialize(svc.store.graph_triples(graph), format=fmt.rdf)
        return Response(b"" if request.method == "HEAD" else body, content_type=fmt.content_type,
                        headers={"Vary": "Accept", "Content-Length": str(len(body))})
    if request.method == "DELETE":
        try:
            with svc.writing():
                existed = svc.store.drop_graph(graph)
                svc.wrote_directly()
                svc.pool.refresh()
        except DiskFull as e:
            return disk_full_answer(e)
        return Response(status=204) if existed else text("no such graph", 404)
    try:
        triples = _request_triples(graph)
    except LookupError as e:
        return text(str(e), 415)
    try:
        with svc.writing():
            created = svc.store.put_graph(graph, triples, replace=request.method == "PUT")
            svc.wrote_directly()
            svc.pool.refresh()
    except DiskFull as e:
        return disk_full_answer(e)
    except SyntaxError as e:
        return text(f"cannot parse the {request.mimetype} body: {e}", 400)
    if created:
        return Response(status=201, headers={"Location": graph.value if isinstance(graph, ox.NamedNode) else ""})
    return Response(status=204)


def _request_triples(graph: ox.NamedNode | ox.DefaultGraph) -> Iterator[ox.Triple]:
    """The RDF in the request body (or in each part of a multipart/form-data body), parsed lazily:
    the store takes the triples as they are read, and a syntax error anywhere stores none of them.
    An unsupported media type is refused before anything is read."""
    base = graph.value if isinstance(graph, ox.NamedNode) else request.base_url
    if request.mimetype == "multipart/form-data":
        parts = [(part, _format(part.mimetype or "text/turtle", part.filename))
                 for _name, part in request.files.items(multi=True)]
        return (t for part, fmt in parts for t in _parse(part.stream, fmt, base))
    return _parse(request.get_data(), _format(request.mimetype), base)


def _format(mimetype: str, filename: str | None = None) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(mimetype) or (ox.RdfFormat.from_extension(filename.rsplit(".", 1)[-1])
                                                      if filename and "." in filename else None)
    if fmt is None or fmt.supports_datasets:
        raise LookupError(f"unsupported RDF media type {mimetype!r} for a graph")
    return fmt


def _parse(data, fmt: ox.RdfFormat, base: str) -> Iterator[ox.Triple]:
    return (q.triple for q in ox.parse(data, format=fmt, base_iri=base))

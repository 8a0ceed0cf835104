"""The SPARQL 1.1 Protocol: queries at /sparql (GET, POST form, POST direct; the protocol's dataset
parameters; results in the negotiated format, under the timeout and the row limit), updates at
/update (with the write token), the service description and its VoID."""
from __future__ import annotations

import dataclasses

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from kg.rdf.formats import FORMATS
from kg.rdf.queries import examples
from kg.rdf.vocab import PREFIXES
from kg.serve import describe
from kg.serve.common import CORS, authorize, preflight, services, text
from kg.serve.engine import Job, NotAcceptable, QueryError, QueryTimeout
from kg.serve.negotiate import choose, wants_html
from kg.serve.sparqltext import add_using, declares_dataset, service_targets

protocol = Blueprint("protocol", __name__)


@protocol.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql_query() -> Response:
    if request.method == "OPTIONS":
        return preflight("GET, POST, OPTIONS")
    params, error = _operation("query", "application/sparql-query")
    if error:
        return error
    queries = params.getlist("query")
    if "update" in params:
        return text("updates go to /update", 400)
    if not queries:
        if request.method == "GET":
            return service_page()
        return text("missing 'query' parameter", 400)
    if request.method == "GET" and wants_html():  # a shared link opened in a browser: the editor runs it
        return service_page()
    if len(queries) > 1:
        return text("more than one 'query' parameter", 400)
    query = queries[0]
    svc = services()
    allowed = svc.config.service_allow.split()
    for target in service_targets(query):
        if target is None or not any(target.startswith(a) for a in allowed):
            return text(f"SERVICE {target or '(a variable)'} is not allowed on this endpoint (KG_SERVICE_ALLOW)", 400)
    results, graph = choose("results", "json"), choose("rdf", "turtle")
    job = Job(query=query, results_format=results and results.name, graph_format=graph and graph.name,
              limit=svc.config.result_limit, default_graph=tuple(params.getlist("default-graph-uri")),
              named_graphs=tuple(params.getlist("named-graph-uri")), base_iri=request.base_url)
    try:
        answer = svc.pool.run(job)
    except QueryError as e:
        return text(f"bad query: {e}", 400)
    except NotAcceptable as e:
        return text(str(e), 406)
    except QueryTimeout as e:
        return text(str(e), 503, **{"Retry-After": "5"})
    headers = {**CORS, "Vary": "Accept", "Content-Length": str(answer.size)}
    if answer.truncated:
        headers["X-KG-Truncated"] = f"results cut at {svc.config.result_limit} (KG_RESULT_LIMIT)"
    return Response(answer.chunks, content_type=FORMATS.get(answer.format).content_type,
                    headers=headers)


@protocol.route("/update", methods=["GET", "POST", "OPTIONS"])
def sparql_update() -> Response:
    if request.method == "OPTIONS":
        return preflight("POST, OPTIONS")
    if request.method != "POST":
        return text("updates must be POSTed", 405, Allow="POST, OPTIONS")
    denied = authorize()
    if denied:
        return denied
    params, error = _operation("update", "application/sparql-update")
    if error:
        return error
    if "query" in params:
        return text("queries go to /sparql", 400)
    updates = params.getlist("update")
    if len(updates) != 1:
        return text("exactly one 'update' parameter is needed", 400)
    update = updates[0]
    using, using_named = params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri")
    if using or using_named:
        if declares_dataset(update):
            return text("using-graph-uri / using-named-graph-uri conflict with USING or WITH in the update", 400)
        update = add_using(update, using, using_named)
    svc = services()
    try:
        with svc.write_lock:
            svc.store.ox.update(update, base_iri=request.base_url)
            svc.pool.refresh()
    except (SyntaxError, ValueError, OSError) as e:
        return text(f"bad update: {e}", 400)
    return Response(status=204, headers=CORS)



def _operation(name: str, direct_type: str):
    """(parameters, None) or (None, error): the protocol's three ways to send an operation."""
    if request.method == "GET":
        return request.args, None
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        return CombinedMultiDict([request.args, request.form]), None
    if mimetype == direct_type:
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return None, text(f"{direct_type} must be UTF-8, not {charset}", 415)
        if name in request.args:
            return None, text(f"'{name}' given both in the URL and as the body", 400)
        params = MultiDict(request.args)
        try:
            params.add(name, request.get_data().decode("utf-8"))
        except UnicodeDecodeError:
            return None, text("the body is not valid UTF-8", 400)
        return params, None
    return None, text(f"POST {name} as application/x-www-form-urlencoded or {direct_type}, not "
                       f"{mimetype or 'no content type'}", 415)



def service_page() -> Response:
    svc = services()
    if wants_html():
        return Response(render_template("query.html", examples=[dataclasses.asdict(q) for q in examples().values()],
                                        endpoint=request.host_url + "sparql", base=svc.config.base_iri,
                                        prefixes=PREFIXES, limit=svc.config.result_limit),
                        headers={"Vary": "Accept"})
    return _service_rdf(request.host_url + "sparql")


@protocol.route("/.well-known/void")
def void_description() -> Response:
    """The VoID description (with its linksets) at the well-known place, RDF only."""
    return _service_rdf(request.host_url + "sparql")


def _service_rdf(endpoint: str) -> Response:
    svc = services()
    fmt = choose("rdf", "turtle")
    if fmt is None:
        return text("no acceptable RDF format for the service description", 406)
    ttl = describe.service_description(svc.store.ox, endpoint, update=bool(svc.config.update_token),
                                       federation=bool(svc.config.service_allow))
    body = ox.serialize(ox.parse(ttl, ox.RdfFormat.TURTLE), format=fmt.rdf)
    return Response(body, content_type=fmt.content_type, headers={**CORS, "Vary": "Accept"})

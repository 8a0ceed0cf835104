"""The SPARQL 1.1 Protocol: queries at /sparql (GET, POST form, POST direct; the protocol's dataset
parameters; results in the negotiated format, under the timeout and the row limit), updates at
/update (with the write token), the service description and its VoID."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from kg.rdf.formats import FORMATS
from kg.rdf.queries import examples
from kg.rdf.vocab import PREFIXES
from kg.serve import describe
from kg.serve.common import CORS, DiskFull, authorize, disk_full_answer, host_url, preflight, services, text
from kg.config import Config
from kg.serve.engine import Answer, Job, NotAcceptable, QueryError, QueryTimeout
from kg.serve.negotiate import browser, choose, negotiate, wants_html
from kg.rdf.guard import Refused, calls_out, check_query, check_update
from kg.rdf.sparql import QuerySyntaxError
from kg.rdf.sparqltext import add_using, declares_dataset
from kg.stores.search import index_of

protocol = Blueprint("protocol", __name__)


@dataclass(frozen=True)
class Reply:
    """An answer to a query request, for the Flask route and for the front's query path alike."""
    status: int
    headers: dict[str, str]
    chunks: Iterable[bytes]


def refused(message: str, status: int, **headers: str) -> Reply:
    return Reply(status, {**CORS, **headers, "Content-Type": "text/plain; charset=utf-8"},
                 ((message.rstrip() + "\n").encode(),))


def query_reply(method: str, args: MultiDict, mimetype: str, charset: str, form: Callable[[], MultiDict],
                body: Callable[[], bytes], accept: str, base_url: str, config: Config,
                run: Callable[[Job], Answer]) -> Reply | None:
    """The answer to a query request at /sparql (GET, POST form, POST direct), evaluated by `run`;
    None when the request asks for the service itself (no query, or a browser's GET)."""
    params, error = operation("query", "application/sparql-query", method, args, mimetype, charset, form, body)
    if error:
        return error
    queries = params.getlist("query")
    if "update" in params:
        return refused("updates go to /update", 400)
    if not queries:
        return None if method == "GET" else refused("missing 'query' parameter", 400)
    if method == "GET" and "format" not in params and browser(accept):  # a shared link: the editor runs it
        return None
    if len(queries) > 1:
        return refused("more than one 'query' parameter", 400)
    query = queries[0]
    try:
        check_query(query, allow=config.service_allow.split(), base_iri=base_url)
    except Refused as e:
        return refused(str(e), 400)
    fmt, limit = params.get("format"), config.result_limit
    if params.get("limit"):  # a client may ask for fewer rows than the server's limit (the query page does)
        if not params["limit"].isdigit() or int(params["limit"]) < 1:
            return refused(f"limit must be a positive number of rows, not {params['limit']!r}", 400)
        limit = min(limit, int(params["limit"]))
    results, graph = negotiate("results", "json", accept, fmt), negotiate("rdf", "turtle", accept, fmt)
    job = Job(query=query, results_format=results and results.name, graph_format=graph and graph.name,
              limit=limit, default_graph=tuple(params.getlist("default-graph-uri")),
              named_graphs=tuple(params.getlist("named-graph-uri")), base_iri=base_url, search=index_of(config.store))
    try:
        answer = run(job)
    except QueryError as e:
        if calls_out(query) and not isinstance(e, QuerySyntaxError):
            # an allowed endpoint's failure: say so, never relay what it answered or how it failed
            return refused("bad query: a SERVICE call failed (its answer is not relayed)", 400)
        return refused(f"bad query: {e}", 400)
    except NotAcceptable as e:
        return refused(str(e), 406)
    except QueryTimeout as e:
        return refused(str(e), 503, **{"Retry-After": "5"})
    headers = {**CORS, "Vary": "Accept", "Content-Length": str(answer.size),
               "Content-Type": FORMATS.get(answer.format).content_type}
    if answer.truncated:
        why = "KG_RESULT_LIMIT" if limit == config.result_limit else "the request's limit"
        headers["X-KG-Truncated"] = f"results cut at {limit} ({why})"
    return Reply(200, headers, answer.chunks)


def as_response(reply: Reply) -> Response:
    headers = dict(reply.headers)
    return Response(reply.chunks, status=reply.status, content_type=headers.pop("Content-Type"), headers=headers)


SHOWN = 1000  # rows the query page asks for and shows; the notice under the editor links to the whole answer


@protocol.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql_query() -> Response:
    if request.method == "OPTIONS":
        return preflight("GET, POST, OPTIONS")
    svc = services()
    reply = query_reply(request.method, request.args, request.mimetype,
                        request.mimetype_params.get("charset", "utf-8"), lambda: request.form, request.get_data,
                        request.headers.get("Accept", ""), request.base_url, svc.config, svc.pool.run)
    if reply is None:
        return service_page()
    return as_response(reply)


@protocol.route("/update", methods=["GET", "POST", "OPTIONS"])
def sparql_update() -> Response:
    if request.method == "OPTIONS":
        return preflight("POST, OPTIONS")
    if request.method != "POST":
        return text("updates must be POSTed", 405, Allow="POST, OPTIONS")
    denied = authorize()
    if denied:
        return denied
    params, error = operation("update", "application/sparql-update", request.method, request.args, request.mimetype,
                              request.mimetype_params.get("charset", "utf-8"), lambda: request.form, request.get_data)
    if error:
        return as_response(error)
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
        try:
            update = add_using(update, using, using_named)
        except ValueError as e:
            return text(f"using-graph-uri / using-named-graph-uri must be IRIs: {e}", 400)
    svc = services()
    try:
        check_update(update, allow=svc.config.service_allow.split(), base_iri=request.base_url)
    except Refused as e:
        return text(str(e), 400)
    try:
        with svc.writing():
            svc.store.set_fusion_pending(True)
            svc.store.ox.update(update, base_iri=request.base_url)
            svc.wrote_directly()
            svc.pool.refresh()
    except DiskFull as e:
        return disk_full_answer(e)
    except (SyntaxError, ValueError, OSError) as e:
        return text(f"bad update: {e}", 400)
    return Response(status=204, headers=CORS)



def operation(name: str, direct_type: str, method: str, args: MultiDict, mimetype: str, charset: str,
              form: Callable[[], MultiDict], body: Callable[[], bytes]) -> tuple[MultiDict | None, Reply | None]:
    """(parameters, None) or (None, the refusal): the protocol's three ways to send an operation."""
    if method == "GET":
        return args, None
    if mimetype == "application/x-www-form-urlencoded":
        return CombinedMultiDict([args, form()]), None
    if mimetype == direct_type:
        if charset.lower() not in ("utf-8", "utf8"):
            return None, refused(f"{direct_type} must be UTF-8, not {charset.lower()}", 415)
        if name in args:
            return None, refused(f"'{name}' given both in the URL and as the body", 400)
        params = MultiDict(args)
        try:
            params.add(name, body().decode("utf-8"))
        except UnicodeDecodeError:
            return None, refused("the body is not valid UTF-8", 400)
        return params, None
    return None, refused(f"POST {name} as application/x-www-form-urlencoded or {direct_type}, not "
                         f"{mimetype or 'no content type'}", 415)


def service_page() -> Response:
    svc = services()
    if wants_html():
        return Response(render_template("query.html", examples=[dataclasses.asdict(q) for q in examples().values()],
                                        endpoint=host_url() + "sparql", base=svc.config.base_iri,
                                        prefixes=PREFIXES, limit=svc.config.result_limit,
                                        shown=min(SHOWN, svc.config.result_limit)),
                        headers={"Vary": "Accept"})
    return _service_rdf(host_url() + "sparql")


@protocol.route("/.well-known/void")
def void_description() -> Response:
    """The VoID description (with its linksets) at the well-known place, RDF only."""
    return _service_rdf(host_url() + "sparql")


def _service_rdf(endpoint: str) -> Response:
    svc = services()
    fmt = choose("rdf", "turtle")
    if fmt is None:
        return text("no acceptable RDF format for the service description", 406)
    ttl = describe.service_description(svc.store.ox, endpoint, update=bool(svc.config.update_token),
                                       federation=bool(svc.config.service_allow))
    body = ox.serialize(ox.parse(ttl, ox.RdfFormat.TURTLE), format=fmt.rdf)
    return Response(body, content_type=fmt.content_type, headers={**CORS, "Vary": "Accept"})

"""A grammar-based fuzzer of SPARQL text against the query check and the engine: a few thousand
generated queries (nesting, odd IRIs and escapes, comments, SERVICE spelt every way), seeded. Every
query the check lets through runs on Oxigraph in a child process with the network open; a listener
on 127.0.0.1 counts the connections any of them makes. 0 crashes, 0 outbound connections."""
from __future__ import annotations

import multiprocessing as mp
import random

import pytest

from kg.rdf.guard import Refused, check_query
from tests.helpers import Listener

QUERIES = 2500


def _iri(rng: random.Random) -> str:
    return rng.choice(["<http://e/a>", "<http://e/\\u0041.#x>", "<http://e/%20b>", "<http://e/{}>", "<#frag>",
                       "<relative>", "<http://e/a>b>", "<http://e/\\U0001F600>", "<>"])


def _term(rng: random.Random) -> str:
    return rng.choice(["?s", "?o", "$v", ":p\\#x", ":a\\.b", "ex:q", "schema:name", '"s#t"', "'''a\nb'''",
                       '"SERVICE <http://e/>"', "1", "-2.5e3", "true", _iri(rng), "[]", "[ :p ?x ]", "()"])


def _service(rng: random.Random, target: str) -> str:
    keyword = rng.choice(["SERVICE", "service", "SeRvIcE", "SERVI\\u0043E", "S\\u0045RVICE", "SERVICE SILENT"])
    where = rng.choice([f"<{target}>", "ex:sparql", "<relative>", "?endpoint", f"<{target}sp\\u0061rql>"])
    return f"{keyword} {where} {{ ?a ?b ?c }}"


def _pattern(rng: random.Random, depth: int, target: str) -> str:
    kind = rng.random()
    if depth <= 0 or kind < 0.35:
        triple = f"{_term(rng)} {_term(rng)} {_term(rng)} ."
        return triple + (" # SERVICE <%s>\n" % target if rng.random() < 0.1 else "")
    inner = _pattern(rng, depth - 1, target)
    if kind < 0.5:
        return "{ " + inner + " }"
    if kind < 0.6:
        return f"OPTIONAL {{ {inner} }}"
    if kind < 0.7:
        return f"{{ {inner} }} UNION {{ {_pattern(rng, depth - 1, target)} }}"
    if kind < 0.8:
        return f"{inner} FILTER({'(' * rng.randint(0, 40)}?s{')' * rng.randint(0, 40)})"
    if kind < 0.9:
        return f"{inner} {_service(rng, target)}"
    return f"GRAPH {_term(rng)} {{ {inner} }}"


def generate(rng: random.Random, target: str) -> str:
    prologue = rng.choice(["", "PREFIX : <http://e/> ", f"PREFIX ex: <{target}> ", f"BASE <{target}> PREFIX : <http://e/> "])
    depth = rng.choice([1, 2, 4, 8, 30, 129, 200, 400]) if rng.random() < 0.2 else rng.randint(0, 6)
    body = _pattern(rng, depth, target)
    if rng.random() < 0.05:
        body = "{" * rng.choice([130, 1000, 10_000]) + body + "}" * rng.randint(0, 10_000)
    form = rng.choice(["SELECT * WHERE", "select ?s where", "ASK", "CONSTRUCT WHERE", "SELECT (COUNT(*) AS ?n) WHERE"])
    return f"{prologue}{form} {{ {body} }}" + (" LIMIT 5" if rng.random() < 0.3 else "")


def generate_calling(rng: random.Random, target: str) -> str:
    """A well-formed query that calls `target` by SERVICE, after terms that fooled a line lexer."""
    before = rng.choice([":p\\#x", "<http://e/\\u0041.#x>", ":a\\.b", '"# SERVICE"', "'''#\n'''", "<http://e/#>"])
    keyword = rng.choice(["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "service silent"])
    where = rng.choice([f"<{target}>", "ex:sparql", "<sparql>", f"<{target[:-1]}\\u002Fx>"])
    around = rng.choice(["{0}", "OPTIONAL {{ {0} }}", "{{ {0} }} UNION {{ ?x ?y ?z }}", "{{ SELECT * WHERE {{ {0} }} }}"])
    call = around.format(f"{keyword} {where} {{ ?a ?b ?c }}")
    comment = rng.choice(["", " # a comment\n", "\n# SERVICE <http://e/>\n"])
    return (f"BASE <{target}> PREFIX : <http://e/> PREFIX ex: <{target}> "  # BIND: one solution, so the call runs
            f"SELECT * WHERE {{ BIND({before} AS ?x){comment} {call} }}")


def _run_all(queries: list[str], out) -> None:
    """In a child process: every query on an empty store, network open (the check alone guards)."""
    import pyoxigraph as ox
    store = ox.Store()
    for q in queries:
        try:
            result = store.query(q, base_iri="http://127.0.0.1/sparql")
            if not isinstance(result, ox.QueryBoolean):
                for _ in result:
                    pass
        except Exception:  # noqa: BLE001 — a query the engine refuses is fine; a crash is not
            pass
    out.put("done")


@pytest.mark.parametrize("seed", [1, 2])
def test_fuzz_no_generated_query_crashes_or_calls_out(seed):
    listener = Listener()
    rng = random.Random(seed)
    accepted, refused = [], 0
    for k in range(QUERIES):
        q = generate(rng, listener.url) if k % 5 else generate_calling(rng, listener.url)
        try:
            check_query(q, base_iri="http://127.0.0.1/sparql")
        except Refused:
            refused += 1
            continue
        accepted.append(q)
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    child = ctx.Process(target=_run_all, args=(accepted, out))
    child.start()
    child.join(600)
    alive = child.is_alive()
    if alive:
        child.kill()
    listener.close()
    assert not alive and child.exitcode == 0, f"the engine died (exit {child.exitcode}) on one of {len(accepted)} queries"
    assert listener.count == 0, f"{listener.count} outbound connections"
    assert refused > 500 and len(accepted) > 1000  # both paths exercised


def test_fuzz_the_calling_queries_do_call_out_without_the_check():
    """The fuzzer's power: its well-formed calling queries reach the listener when nothing checks them."""
    listener = Listener()
    rng = random.Random(3)
    queries = [generate_calling(rng, listener.url) for _ in range(60)]
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    child = ctx.Process(target=_run_all, args=(queries, out))
    child.start()
    child.join(300)
    listener.close()
    assert listener.count >= 30

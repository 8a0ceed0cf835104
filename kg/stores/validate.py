"""Check the store: SHACL shapes on the union of all graphs, and every evidence offset against its text."""
from __future__ import annotations

import io

import pyoxigraph as ox
from rdflib import Graph

from importlib.resources import files

from kg.rdf.vocab import KG, SCHEMA
from kg.stores.embedded import EmbeddedStore

ONTOLOGY_DIR = files("kg") / "ontology"


def validate(store: EmbeddedStore) -> tuple[bool, str]:
    """(conforms, a readable report)."""
    from pyshacl import validate as shacl

    buf = io.BytesIO()
    store.export("ntriples", buf)
    data = Graph().parse(data=buf.getvalue().decode("utf-8"), format="nt")
    conforms, _graph, text = shacl(data, shacl_graph=_ontology_graph("shapes.ttl"), ont_graph=_ontology_graph("kg.ttl"),
                                   inference="none", advanced=True)
    bad_offsets = check_offsets(store.ox)
    report = [text.strip()]
    if bad_offsets:
        report.append(f"{len(bad_offsets)} evidence spans do not match their article text:")
        report += [f"  {e}" for e in bad_offsets[:50]]
    else:
        report.append("Evidence offsets: every sentence equals the article text at its offsets.")
    return conforms and not bad_offsets, "\n".join(report)


def check_offsets(store: ox.Store) -> list[str]:
    """Evidence whose kg:sentence is not articleBody[begin:end]."""
    rows = store.query(f"""SELECT ?ev ?body ?b ?e ?s WHERE {{ GRAPH ?g {{
        ?ev <{KG.inArticle}> ?a ; <{KG.beginIndex}> ?b ; <{KG.endIndex}> ?e ; <{KG.sentence}> ?s .
        ?a <{SCHEMA.articleBody}> ?body }} }}""")
    bad = []
    for r in rows:
        body, b, e = r["body"].value, int(r["b"].value), int(r["e"].value)
        if not (0 <= b < e <= len(body)) or body[b:e] != r["s"].value:
            bad.append(r["ev"].value)
    return bad


def _ontology_graph(name: str) -> Graph:
    return Graph().parse(data=(ONTOLOGY_DIR / name).read_text(encoding="utf-8"), format="turtle")

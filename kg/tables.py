"""Tables for spreadsheets: meetings, statements and people as CSV, one row per fact with the
article it came from (evidence sentences on one line). Each table is one SPARQL query over the union graph, so the server runs it
under the same timeouts as any query."""
from __future__ import annotations

from .namespaces import SPARQL_PROLOGUE

ARTICLE = """
  OPTIONAL { GRAPH ?article { ?article schema:identifier ?article_id } }
  OPTIONAL { GRAPH ?article { ?article schema:headline ?headline } }
  OPTIONAL { GRAPH ?article { ?article schema:datePublished ?published } }"""

TABLES: dict[str, str] = {
    "meetings": """
SELECT ?meeting ?date ?status ?kind (GROUP_CONCAT(DISTINCT ?pname; separator="; ") AS ?participants)
       ?place ?place_name ?trigger (GROUP_CONCAT(DISTINCT ?line; separator=" | ") AS ?evidence)
       ?article_id ?headline ?published ?article
WHERE {
  GRAPH ?article { ?meeting a kg:Meeting ; kg:status ?s ; kg:trigger ?trigger ; kg:participant ?p }
  OPTIONAL { GRAPH ?article { ?meeting kg:date ?date } }
  OPTIONAL { GRAPH ?article { ?meeting a ?call FILTER(?call IN (kg:PhoneCall, kg:VideoCall)) } }
  OPTIONAL { GRAPH ?article { ?meeting kg:location ?place } OPTIONAL { ?place schema:name ?place_name } }
  OPTIONAL { ?p schema:name ?pname }
  OPTIONAL { GRAPH ?article { ?meeting kg:evidence ?ev . ?ev kg:sentence ?sentence } }""" + ARTICLE + """
  BIND(REPLACE(REPLACE(?sentence, "\\\\s+", " "), "^ | $", "") AS ?line)
  BIND(REPLACE(STR(?s), "^.*#", "") AS ?status)
  BIND(COALESCE(REPLACE(STR(?call), "^.*#", ""), "Meeting") AS ?kind)
}
GROUP BY ?meeting ?date ?status ?kind ?place ?place_name ?trigger ?article_id ?headline ?published ?article
ORDER BY ?date ?article_id ?meeting""",
    "statements": """
SELECT ?statement ?date ?speaker_name ?speaker ?direct ?reporting_verb ?text
       (GROUP_CONCAT(DISTINCT ?about_name; separator="; ") AS ?about) ?evidence
       ?article_id ?headline ?published ?article
WHERE {
  GRAPH ?article { ?statement a kg:Statement ; kg:speaker ?speaker ; kg:text ?text ; kg:direct ?direct ;
                     kg:reportingVerb ?reporting_verb ; kg:evidence ?ev . ?ev kg:sentence ?sentence }
  BIND(REPLACE(REPLACE(?sentence, "\\\\s+", " "), "^ | $", "") AS ?evidence)
  OPTIONAL { GRAPH ?article { ?statement kg:date ?date } }
  OPTIONAL { ?speaker schema:name ?speaker_name }
  OPTIONAL { GRAPH ?article { ?statement kg:about ?a } ?a schema:name ?about_name }""" + ARTICLE + """
}
GROUP BY ?statement ?date ?speaker_name ?speaker ?direct ?reporting_verb ?text ?evidence ?article_id ?headline
         ?published ?article
ORDER BY ?date ?article_id ?statement""",
    "people": """
SELECT ?person ?name ?aliases ?roles ?same_as ?article_count ?article_ids
WHERE {
  ?person a kg:Person ; schema:name ?name .
  { SELECT ?person (GROUP_CONCAT(DISTINCT ?alt; separator="; ") AS ?aliases)
    WHERE { ?person a kg:Person OPTIONAL { ?person schema:alternateName ?alt } } GROUP BY ?person }
  { SELECT ?person (GROUP_CONCAT(DISTINCT ?role; separator="; ") AS ?roles)
    WHERE { ?person a kg:Person
            OPTIONAL { ?m org:member ?person ; org:role ?r . ?r rdfs:label ?label
                       OPTIONAL { ?m org:organization ?o . ?o schema:name ?oname }
                       BIND(IF(BOUND(?oname), CONCAT(?label, " (", ?oname, ")"), ?label) AS ?role) } }
    GROUP BY ?person }
  { SELECT ?person (GROUP_CONCAT(DISTINCT STR(?link); separator=" ") AS ?same_as)
    WHERE { ?person a kg:Person OPTIONAL { ?person owl:sameAs ?link } } GROUP BY ?person }
  { SELECT ?person (COUNT(DISTINCT ?a) AS ?article_count) (GROUP_CONCAT(DISTINCT ?aid; separator="; ") AS ?article_ids)
    WHERE { ?person a kg:Person OPTIONAL { GRAPH ?a { ?a schema:mentions ?person ; schema:identifier ?aid } } }
    GROUP BY ?person }
}
ORDER BY DESC(?article_count) ?name""",
}


def query(name: str) -> str:
    """The SPARQL of table `name` (KeyError for an unknown table)."""
    return SPARQL_PROLOGUE + TABLES[name]

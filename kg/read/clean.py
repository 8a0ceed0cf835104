"""Raw text or HTML -> Article: page chrome removed, headline, date and publisher found.

Cleaning works on lines: each line is kept whole or dropped, and the kept paragraphs are
joined by blank lines. The result is the article's stored text; every offset points into it.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

from kg.calendar import parse_date, safe_date
from kg.model import Article
from kg.read.sources import Record

PIPELINE_VERSION = "4"  # part of the content hash: a new extractor re-extracts unchanged articles

ISO_STAMP = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
CLOCK_LINE = re.compile(r"^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+\d{1,2}\s+[a-z]+\s+\d{4}\s+"
                        r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:gmt|utc|[a-z]{2,4})?\s*$", re.I)
MENAFN_ID = re.compile(r"^\s*MENAFN(\d{2})(\d{2})(\d{4})\d*ID\d+\s*$")
WIRE_PREFIX = re.compile(r"^\s*(?:[A-Z][A-Za-z0-9 .,'-]{0,40}\s)?\((MENAFN|Reuters|AP|AFP|Interfax|TASS|"
                         r"AzerNews|Xinhua|IANS|PTI|ANI|UNI|Jiji Press|Kyodo|Yonhap|Anadolu|Bernama|IRNA|"
                         r"KUNA|WAM|SPA|dpa)(?:\s*-\s*([A-Za-z .&]+))?\)\s*[-–—]{0,2}\s*")
PUBLISHED_LINE = re.compile(r"^\s*(?:published|posted|first published)(?: on)?:?\s*(.+)$", re.I)
CHROME_LINES = {
    "tags", "label", "comments", "no comment", "category", "date", "more story", "search", "source",
    "summary", "leave a reply", "back to top button", "share", "share this", "advertisement",
    "related", "related articles", "related news", "read more", "print", "email", "subscribe",
    "updated on:", "updated on", "menafn", "follow us", "most read", "trending", "newsletter",
    "your email address will not be published.", "you may also like", "sign up", "log in",
    "skip to content", "home", "menu", "close", "loading...", "cookie policy", "privacy policy",
}
CHROME_START = re.compile(r"^\s*(?:read more\b|read also\b|also read\b|see also\b|curated by\b|updated on\b|"
                          r"enlarge this image|toggle caption|hide caption|"
                          r"written by\b|reporting by\b|editing by\b|\(reporting by|copyright\b|all rights reserved|"
                          r"click here|follow us|sign up for|subscribe to)", re.I)
END_MARKERS = re.compile(r"^\s*(?:legal disclaimer:?|disclaimer:)\s*$", re.I)
PHOTO = re.compile(r"©|\((?:photo|image|picture)[^)]*\)\s*$|\b(?:photo|image|picture|credit)s?:\s*\S+.*$|"
                   r"\bgetty images\b|\bafp via getty\b|\bfile photo\b", re.I)
BULLET = re.compile(r"^\s*[•·▪◦\-*]\s+")
# a list of related headlines follows this line, up to the next line that ends a sentence
RELATED_MARKER = re.compile(r"^\s*(?:read more|related|related articles|related stories|more on this|see also)\s*:?\s*$",
                            re.I)
RELATED_LINE = re.compile(r"\bread more\s*$", re.I)  # "White House urged to … Read more": a headline widget
# inline widgets and credits: "(RELATED: Trump Had One Main Concern …)", "(Jonathan Ernst/Reuters)"
INLINE_CHROME = re.compile(r"\s*\((?:RELATED|READ MORE|SEE ALSO|WATCH)\s*:[^)]*\)"
                           r"|\s*\(\s*(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*\s*/\s*(?:[A-Z][\w&.'’-]*\s*){1,3}"
                           r"(?:via\s+[A-Z][\w ]+)?\)")


def to_article(record: Record) -> Article:
    """Clean one record. Raises ValueError with the reason when nothing article-like is left."""
    meta = dict(record.meta)
    if record.kind == "html":
        page = _parse_html(record.body)
        text = page.text
        for key in ("title", "published", "publisher", "url"):
            if page.meta.get(key) and not meta.get(key):
                meta[key] = page.meta[key]
    else:
        text = record.body
    text = _normalise(text)
    body, found = _clean_lines(text, meta.get("title"))
    if len(body.split()) < 5:
        raise ValueError("no article text left after cleaning (empty or all page chrome)")
    if not _looks_english(body):
        raise ValueError("text is not English (newskg extracts from English news only)")
    published = parse_date(meta["published"]) if meta.get("published") else found.get("published")
    title = meta.get("title") or found.get("title")
    publisher = meta.get("publisher") or found.get("publisher")
    digest = hashlib.sha256("\x1f".join([PIPELINE_VERSION, record.id, body, title or "", str(published or ""),
                                         publisher or "", meta.get("url", "")]).encode()).hexdigest()
    return Article(id=record.id, text=body, title=title, published=published, publisher=publisher,
                   url=meta.get("url"), source=record.source, content_hash=digest)


GLUED = re.compile(r"\b(in|at|to|of|with|from|and|for|by|on)([A-Z][a-z]{2,})")  # "inAlaska": a lost space


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\t", " ")
    text = GLUED.sub(r"\1 \2", text)
    return "\n".join(re.sub(r" {2,}", " ", INLINE_CHROME.sub("", line)).strip() for line in text.split("\n"))


def _clean_lines(text: str, given_title: str | None) -> tuple[str, dict]:
    lines = text.split("\n")
    found: dict = {}
    counts = Counter(ln.casefold() for ln in lines if ln)
    title = given_title or _find_headline(lines, counts)
    if title and not given_title:
        found["title"] = title
    title_key = title.casefold().strip() if title else None
    kept: list[str] = []
    dropped: list[str] = []
    related = False
    for line in lines:
        low = line.casefold()
        if not line:
            continue
        if END_MARKERS.match(line):
            break
        if RELATED_MARKER.match(line):
            related = True
            dropped.append(line)
            continue
        if related and len(line.split()) <= 25 and not line.rstrip().endswith((".", "?", "!", '."', ".”", "?”")):
            dropped.append(line)
            continue
        related = False
        if RELATED_LINE.search(line) and len(line.split()) <= 25:
            dropped.append(line)
            continue
        if m := MENAFN_ID.match(line):
            found.setdefault("published", safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
            found.setdefault("publisher", "MENAFN")
            continue
        if m := ISO_STAMP.match(line):
            if not kept:
                found["published"] = safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            continue
        if m := PUBLISHED_LINE.match(line):
            if d := parse_date(m.group(1)):
                found.setdefault("published", d)
                continue
        if CLOCK_LINE.match(line) or low in CHROME_LINES or CHROME_START.match(line) or _is_menu(line) \
                or not _has_latin(line) or (title_key and low == title_key) or PHOTO.search(line) \
                or (counts[low] > 1 and _is_short(line)) or _is_byline(line):
            dropped.append(line)
            continue
        kept.append(line)
    # a caption repeated with its credit, a summary bullet or standfirst repeated in the body
    result: list[str] = []
    for i, line in enumerate(kept):
        low = line.casefold()
        rest = kept[i + 1:]
        if any(d.casefold().startswith(low) for d in dropped if len(d) > len(line)):
            continue
        if any(low == r.casefold() for r in rest):
            continue
        core = BULLET.sub("", line).casefold().rstrip(".")
        if (BULLET.match(line) or not _ends_sentence(line)) and len(core) > 20 \
                and any(core in r.casefold() for r in rest):
            continue
        m = WIRE_PREFIX.match(line)
        if m:
            found.setdefault("publisher", m.group(1))
            line = line[m.end():]
        line = BULLET.sub("", line)
        if not _ends_sentence(line) and len(line.split()) <= 4:
            continue  # section heads ("Prisoner exchanges") carry no facts and confuse sentences
        result.append(line)
    return "\n\n".join(result), found


def _find_headline(lines: list[str], counts: Counter) -> str | None:
    """The most repeated title-like line, else the first title-like line before the body starts."""
    candidates = [ln for ln in lines if ln and _title_like(ln)]
    repeated = [ln for ln in candidates if counts[ln.casefold()] > 1]
    if repeated:
        return max(repeated, key=lambda ln: (counts[ln.casefold()], -lines.index(ln)))
    for i, ln in enumerate(lines):
        if not ln or CLOCK_LINE.match(ln) or ISO_STAMP.match(ln) or not _has_latin(ln) or _is_menu(ln):
            continue
        if ln.casefold() in CHROME_LINES:
            continue
        # a first line set apart by a blank line is the headline even in sentence case
        # ("Council plans new bus routes")
        set_apart = i + 1 < len(lines) and not lines[i + 1] and 2 <= len(ln.split()) <= 25 and \
            not ln.rstrip(" '\"’”").endswith((".", "!", "?", ":", ";", ","))  # "Port deal 'to help local trade'"
        return ln if _title_like(ln) or set_apart else None
    return None


def _title_like(line: str) -> bool:
    words = line.split()
    return 3 <= len(words) <= 25 and not line.rstrip(" '\"’”").endswith((".", ":", ",", ";")) \
        and sum(w[:1].isupper() for w in words) >= 2 and not PHOTO.search(line) and not _is_menu(line)


def _is_short(line: str) -> bool:
    return len(line.split()) <= 25 and not _ends_sentence(line) or len(line.split()) <= 3


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", "!", "?", '"', "”", "’", "'", ")", "…", ":"))


def _is_menu(line: str) -> bool:
    """Navigation rows: several short capitalised items separated by wide gaps or bars."""
    items = [it for it in re.split(r"\s*\|\s*|\s{3,}", line) if it.strip()]
    if "|" in line and len(items) >= 3:
        return True
    words = line.split()
    return len(words) >= 4 and all(w[:1].isupper() or not w[:1].isalpha() for w in words) \
        and not _ends_sentence(line) and len(set(words)) == len(words) and not any(
            w.casefold() in {"the", "of", "and", "to", "in", "on", "for", "a"} for w in words) \
        and bool(re.search(r"&|\bUS\b.*\bEurope\b|\bPolitics\b|\bSport\b", line))


def _is_byline(line: str) -> bool:
    return bool(re.match(r"^[A-Z][\w ]{0,40}\b(?:News Desk|Desk|Bureau|Staff|Correspondent)$", line))


def _has_latin(line: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2}", line))


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower()[:20000])
    if len(words) < 20:
        return len(words) >= 5
    common = {"the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "said", "he", "it"}
    return sum(w in common for w in words) / len(words) > 0.08


class _PageParser(HTMLParser):
    """Visible text by block, without scripts, styles, navigation and forms; plus page metadata."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "button",
            "select", "iframe", "template", "figcaption"}
    BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
             "blockquote", "pre", "td", "dd", "dt", "figure", "main", "time"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.meta: dict[str, str] = {}
        self._in_title = False
        self._h1: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            content = a.get("content", "").strip()
            target = {"og:title": "title", "twitter:title": "title", "headline": "title",
                      "article:published_time": "published", "datepublished": "published",
                      "pubdate": "published", "date": "published", "og:site_name": "publisher",
                      "og:url": "url"}.get(key)
            if target and content and target not in self.meta:
                self.meta[target] = content
        elif tag == "time" and a.get("datetime") and "published" not in self.meta:
            self.meta["published"] = a["datetime"]
        elif tag == "link" and a.get("rel") == "canonical" and a.get("href"):
            self.meta.setdefault("url", a["href"])
        elif tag == "h1" and self._h1 is None:
            self._h1 = []
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "h1" and self._h1 is not None and "h1" not in self.meta:
            self.meta["h1"] = " ".join("".join(self._h1).split())
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.meta.setdefault("html_title", "")
            self.meta["html_title"] += data
            return
        if self.skip_depth:
            return
        if self._h1 is not None and "h1" not in self.meta:
            self._h1.append(data)
        self.parts.append(" ".join(data.split("\n")))

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Page:
    def __init__(self, text: str, meta: dict[str, str]) -> None:
        self.text, self.meta = text, meta


def _parse_html(html: str) -> _Page:
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception as e:  # html.parser is lenient; anything it still rejects is reported per file
        raise ValueError(f"malformed HTML: {e}") from None
    meta = dict(parser.meta)
    meta["title"] = meta.get("title") or meta.get("h1") or " ".join(meta.get("html_title", "").split()) or ""
    if not meta["title"]:
        del meta["title"]
    if meta.get("published") and not parse_date(meta["published"]):
        del meta["published"]
    return _Page(parser.text, meta)

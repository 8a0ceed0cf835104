// The query page: YASGUI (vendor/yasgui.min.js) on this endpoint. Completion of the predeclared
// prefixes (they win over the bundled prefix.cc list, which has schema: as http://) and of the
// properties and classes this store uses (asked of the endpoint, never of an outside service);
// the shipped queries as examples, each opening a tab and running; result IRIs under the base
// open their page on this server; the position of a server-side parse error is marked in the editor;
// a Chart view draws an answer as bars (counts over time when its first column holds dates).
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("kg-config").textContent);
  const Yasqe = Yasgui.Yasqe;
  const declared = Object.entries(cfg.prefixes).map(([p, iri]) => `${p}: <${iri}>`);

  Yasqe.forkAutocompleter("prefixes", {
    name: "kgPrefixes", persistenceId: null,
    get: (yasqe) => Yasqe.Autocompleters.prefixes.get(yasqe).then(
      (bundled) => declared.concat(bundled.filter((s) => !(s.split(":")[0] in cfg.prefixes)))),
  }, false);
  const terms = (query, variable) => () => fetch(cfg.endpoint, {
    method: "POST", body: query,
    headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" },
  }).then((r) => r.ok ? r.json() : { results: { bindings: [] } })
    .then((d) => d.results.bindings.map((b) => b[variable].value));
  Yasqe.forkAutocompleter("property", {
    name: "kgProperties", bulk: true, persistenceId: null,
    get: terms("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", "p"),
  }, false);
  Yasqe.forkAutocompleter("class", {
    name: "kgClasses", bulk: true, persistenceId: null,
    get: terms("SELECT DISTINCT ?c WHERE { ?s a ?c }", "c"),
  }, false);

  // a query opened from a link or an example that uses a predeclared prefix gets its PREFIX line
  // before it runs, as typing the prefix would: the editor's own syntax check knows no predeclared
  // prefixes, and the server's error positions then match the text in the editor
  function withPrefixes(text) {
    const lines = Object.entries(cfg.prefixes)
      .filter(([p]) => !new RegExp(`PREFIX\\s+${p}:`, "i").test(text) &&
                       new RegExp(`(^|[\\s({/|^,;])${p}:(?!//)`).test(text))
      .map(([p, iri]) => `PREFIX ${p}: <${iri}>\n`);
    return lines.join("") + text;
  }

  // A "Chart" view beside the table: the answer as bars, drawn as SVG here (no chart library, no
  // CDN). A column of numbers is drawn against the first other column; an answer without numbers
  // is counted by the first column's values (by month when they are dates: counts over time).
  const SVGNS = "http://www.w3.org/2000/svg";
  const DAY = /^\d{4}-\d{2}(-\d{2})?/;
  function series(results) {
    const names = results.getVariables(), rows = results.getBindings();
    const value = (b, n) => (b[n] ? b[n].value : "");
    const numeric = names.find((n) => rows.length && rows.every((b) => b[n] && b[n].value !== "" && !isNaN(Number(b[n].value))));
    const label = names.find((n) => n !== numeric) || names[0];
    if (numeric && label !== numeric) {
      return { title: `?${numeric} by ?${label}`, time: false,
               bars: rows.map((b) => [value(b, label).replace(/^.*[/#]/, "") || "(none)", Number(b[numeric].value)]) };
    }
    const time = rows.length > 0 && rows.every((b) => DAY.test(value(b, label)));
    const counts = new Map();
    rows.forEach((b) => {
      const key = time ? value(b, label).slice(0, 7) : (value(b, label).replace(/^.*[/#]/, "") || "(none)");
      counts.set(key, (counts.get(key) || 0) + 1);
    });
    const bars = [...counts.entries()];
    bars.sort(time ? (a, b) => (a[0] < b[0] ? -1 : 1) : (a, b) => b[1] - a[1]);
    return { title: time ? `rows by month of ?${label}` : `rows by ?${label}`, time, bars };
  }
  function element(name, attrs, text) {
    const el = document.createElementNS(SVGNS, name);
    Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
    if (text !== undefined) el.textContent = text;
    return el;
  }
  class Chart {
    constructor(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Chart"; this.hideFromSelection = false; }
    canHandleResults() {  // a table of rows; never an ASK's boolean or a graph
      try {
        const r = this.yasr.results;
        const vars = r && r.getVariables ? r.getVariables() : null;
        const rows = r && r.getBindings ? r.getBindings() : null;
        return Array.isArray(vars) && vars.length > 0 && Array.isArray(rows) && rows.length > 0;
      } catch (e) {
        return false;
      }
    }
    draw() {
      const { title, time, bars } = series(this.yasr.results);
      const shown = time ? bars : bars.slice(0, 40);
      const max = Math.max(...shown.map((b) => b[1]), 1);
      const box = document.createElement("div");
      box.className = "kg-chart";
      const note = document.createElement("p");
      note.textContent = title + (shown.length < bars.length ? ` (the ${shown.length} largest of ${bars.length})` : "");
      box.append(note);
      let svg;
      if (time) {  // columns over time
        const w = Math.max(600, shown.length * 14), h = 260, step = (w - 60) / shown.length;
        svg = element("svg", { viewBox: `0 0 ${w} ${h + 60}`, width: "100%", role: "img" });
        shown.forEach(([key, n], i) => {
          const bh = (h - 20) * n / max, x = 50 + i * step;
          const bar = element("rect", { x, y: h - bh, width: Math.max(2, step - 2), height: bh, fill: "#1565c0" });
          bar.append(element("title", {}, `${key}: ${n}`));
          svg.append(bar);
          if (shown.length <= 40 || i % Math.ceil(shown.length / 40) === 0) {
            svg.append(element("text", { x: x + step / 2, y: h + 12, "font-size": 10, "text-anchor": "end",
                                         transform: `rotate(-60 ${x + step / 2} ${h + 12})` }, key));
          }
        });
        svg.append(element("text", { x: 4, y: 14, "font-size": 11 }, String(max)));
      } else {  // horizontal bars, largest first
        const h = shown.length * 20 + 10;
        svg = element("svg", { viewBox: `0 0 800 ${h}`, width: "100%", role: "img" });
        shown.forEach(([key, n], i) => {
          const y = 5 + i * 20, bw = 520 * n / max;
          svg.append(element("text", { x: 215, y: y + 13, "font-size": 11, "text-anchor": "end" }, key.slice(0, 34)));
          const bar = element("rect", { x: 220, y, width: Math.max(1, bw), height: 15, fill: "#1565c0" });
          bar.append(element("title", {}, `${key}: ${n}`));
          svg.append(bar, element("text", { x: 224 + bw, y: y + 12, "font-size": 10 }, String(n)));
        });
      }
      box.append(svg);
      this.yasr.resultsEl.append(box);
    }
    getIcon() {
      const icon = document.createElement("span");
      icon.textContent = "▮▮";
      return icon;
    }
  }
  Yasgui.Yasr.registerPlugin("chart", Chart);

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: cfg.endpoint, method: "POST", args: [{ name: "limit", value: String(cfg.shown) }],
      acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
      acceptHeaderGraph: "text/turtle,*/*;q=0.9",
    },
    copyEndpointOnNewTab: true,
    populateFromUrl: (tab) => { tab.yasqe.value = withPrefixes(tab.yasqe.value || ""); return tab; },
    persistenceId: "newskg " + cfg.endpoint,
    endpointCatalogueOptions: { getData: () => [{ endpoint: cfg.endpoint }] },
    yasqe: {
      value: withPrefixes(cfg.examples.length ? cfg.examples[0].text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10"),
      autocompleters: ["kgPrefixes", "kgProperties", "kgClasses", "variables"],
      prefixCcApi: null,
    },
    yasr: { prefixes: cfg.prefixes, pluginOrder: ["table", "chart", "response"] },
  });
  window.kgYasgui = yasgui;

  // result links: IRIs under the base are pages of this server
  const basePath = new URL(cfg.base).pathname;
  const localise = (root) => root.querySelectorAll("a.iri").forEach((a) => {
    const href = a.getAttribute("href");
    if (href && href.startsWith(cfg.base)) {
      a.setAttribute("href", basePath + href.slice(cfg.base.length));
      a.setAttribute("target", "_self");
    }
  });
  new MutationObserver(() => localise(document.getElementById("yasgui")))
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  // "error at line:column" from the server: mark that line and place in the editor
  function watch(tab) {
    const yasqe = tab.getYasqe();
    if (!yasqe || yasqe.kgWatched) return;
    yasqe.kgWatched = true;
    let marks = [];
    const clear = () => { marks.forEach((m) => m()); marks = []; };
    yasqe.on("change", clear);
    yasqe.on("queryResponse", (_y, response) => {
      clear();
      const at = /error at (\d+):(\d+)/.exec(response instanceof Error ? response.message : "");
      if (!at) return;
      const line = Number(at[1]) - 1, ch = Number(at[2]) - 1;
      const handle = yasqe.addLineClass(line, "wrap", "kg-error-line");
      const mark = yasqe.markText({ line, ch: Math.max(0, ch - 1) }, { line, ch: ch + 1 },
        { className: "kg-error-at", attributes: { title: response.message } });
      marks.push(() => yasqe.removeLineClass(handle, "wrap", "kg-error-line"), () => mark.clear());
    });
  }
  yasgui.on("query", (_y, tab) => watch(tab));

  // an answer cut at the page's row limit: say so above the results, with links to the whole answer
  const cut = document.getElementById("kg-cut");
  function notice(tab) {
    const yasqe = tab.getYasqe();
    if (!yasqe || yasqe.kgNoticed) return;
    yasqe.kgNoticed = true;
    yasqe.on("queryResponse", (_y, response) => {
      const headers = (response && (response.headers || response.header)) || {};  // fetch's Headers or a plain object
      const said = typeof headers.get === "function" ? headers.get("x-kg-truncated") : headers["x-kg-truncated"];
      cut.hidden = !said;
      if (!said) return;
      const whole = (format) => `${cfg.endpoint}?${new URLSearchParams({ query: yasqe.getValue(), format })}`;
      cut.innerHTML = "";
      cut.append(`Only the first ${cfg.shown} rows are shown (${said}). The whole answer: `);
      for (const [label, format] of [["CSV", "csv"], ["JSON", "json"]]) {
        const a = document.createElement("a");
        a.href = whole(format); a.textContent = label; a.className = "kg-whole"; a.download = `answer.${format}`;
        cut.append(a, format === "csv" ? " · " : ".");
      }
    });
  }
  yasgui.on("query", (_y, tab) => notice(tab));
  notice(yasgui.getTab());
  watch(yasgui.getTab());

  document.querySelectorAll("a.example").forEach((a) => a.addEventListener("click", (e) => {
    e.preventDefault();
    const example = cfg.examples.find((x) => x.name === a.dataset.name);
    const tab = yasgui.addTab(true, { name: example.title, yasqe: { value: withPrefixes(example.text) } });
    watch(tab);
    tab.query();
  }));
})();

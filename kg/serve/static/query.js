// The query page: YASGUI (vendor/yasgui.min.js) on this endpoint. Completion of the predeclared
// prefixes (they win over the bundled prefix.cc list, which has schema: as http://) and of the
// properties and classes this store uses (asked of the endpoint, never of an outside service);
// the shipped queries as examples, each opening a tab and running; result IRIs under the base
// open their page on this server; the position of a server-side parse error is marked in the editor.
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
    yasr: { prefixes: cfg.prefixes },
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

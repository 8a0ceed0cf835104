// The network picture: who met whom, drawn with the bundled Cytoscape.js, one line per event
// (however many articles report it): width by reports, colour by current status, the history on
// hover. Every element with class "kg-network" becomes a picture of /network.json (data-entity
// limits it to one entity's events). Controls with data-filter="from|to|status" redraw it; a control with
// data-find picks the first node whose name holds its text and fades all but that node's neighbourhood
// (data-found: how many nodes stay). When drawn, the element gets data-nodes, data-edges and data-ready
// (the browser tests read them).
(function () {
  "use strict";
  var COLOURS = {Held: "#2e7d32", Planned: "#1565c0", Proposed: "#8e24aa", Postponed: "#ef6c00", Cancelled: "#c62828"};
  var SHAPES = {Person: "ellipse", Organisation: "round-rectangle", Place: "diamond", Agent: "triangle"};

  function params(box) {
    var q = new URLSearchParams();
    if (box.dataset.entity) q.set("entity", box.dataset.entity);
    var form = document.getElementById(box.dataset.controls || "");
    if (form) {
      form.querySelectorAll("[data-filter]").forEach(function (el) {
        if (el.dataset.filter === "status") {
          if (!el.checked) q.append("hide", el.value);
        } else if (el.value) {
          q.set(el.dataset.filter, el.value);
        }
      });
    }
    return q;
  }

  function draw(box) {
    var q = params(box);
    var hidden = q.getAll("hide");
    q.delete("hide");
    box.dataset.ready = "";
    fetch(box.dataset.source + "?" + q.toString(), {headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        var edges = data.edges.filter(function (e) { return hidden.indexOf(e.status) < 0; });
        var used = {}, pairs = {};
        edges.forEach(function (e) {
          used[e.source] = used[e.target] = true;
          pairs[e.source + " " + e.target] = (pairs[e.source + " " + e.target] || 0) + 1;
        });
        var nodes = data.nodes.filter(function (n) { return used[n.id] || n.id === box.dataset.entity; });
        var elements = nodes.map(function (n) {
          return {data: {id: n.id, label: n.name, type: n.type, degree: n.degree, focus: n.id === box.dataset.entity}};
        }).concat(edges.map(function (e) {
          return {data: {id: e.id, source: e.source, target: e.target, status: e.status, date: e.date || "",
                         event: e.event, reports: e.reports, history: e.history.join(" → "),
                         pair: pairs[e.source + " " + e.target]}};
        }));
        if (box._cy) { box._cy.destroy(); }
        var cy = cytoscape({
          container: box, elements: elements, wheelSensitivity: 0.3,
          style: [
            {selector: "node", style: {"label": "data(label)", "font-size": 10, "text-valign": "bottom",
              "text-margin-y": 3, "background-color": "#607d8b", "text-background-color": "#fff",
              "text-background-opacity": 0.8, "text-background-padding": 1, "min-zoomed-font-size": 6,
              "width": "mapData(degree, 0, 20, 12, 30)", "height": "mapData(degree, 0, 20, 12, 30)", "shape": function (n) { return SHAPES[n.data("type")] || "ellipse"; }}},
            {selector: "node[?focus]", style: {"background-color": "#ff8f00", "font-weight": "bold"}},
            {selector: "edge", style: {"width": "mapData(reports, 1, 20, 2, 10)", "curve-style": "bezier", "control-point-step-size": 14, "opacity": 0.8,
              "line-color": function (e) { return COLOURS[e.data("status")] || "#999"; }}},
            {selector: "edge:selected", style: {"width": 4, "opacity": 1}},
            {selector: ".faded", style: {"opacity": 0.08, "text-opacity": 0}},
            {selector: "node.found", style: {"border-width": 3, "border-color": "#ff8f00"}}
          ],
          layout: {name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 400000; },
                   idealEdgeLength: function () { return 120; }, nodeOverlap: 40, componentSpacing: 120,
                   // a pair that met often pulls no harder than a pair that met once
                   edgeElasticity: function (e) { return 100 * e.data("pair"); },
                   gravity: 0.3, numIter: 2500, padding: 30}
        });
        box._cy = cy;
        find(box, (document.querySelector("#" + (box.dataset.controls || "none") + " [data-find]") || {}).value);
        cy.on("tap", "node", function (ev) { window.location.href = localPath(ev.target.id()); });
        cy.on("tap", "edge", function (ev) { window.location.href = localPath(ev.target.data("event")); });
        cy.on("mouseover", "edge", function (ev) {
          var d = ev.target.data();
          box.title = d.status + (d.date ? " · " + d.date : "") + " · " + d.reports + " report" +
            (d.reports === 1 ? "" : "s") + ": " + d.history + " — click for the event";
        });
        cy.on("mouseout", "edge", function () { box.title = ""; });
        var note = document.getElementById(box.dataset.summary || "");
        if (note) {
          note.textContent = nodes.length + " nodes, " + edges.length + " events between pairs" +
            (data.truncated ? " (the newest only: narrow the dates)" : "");
        }
        box.dataset.nodes = cy.nodes().length;
        box.dataset.edges = cy.edges().length;
        box.dataset.ready = "1";
      })
      .catch(function (err) { box.textContent = "The network could not be drawn: " + err.message; box.dataset.ready = "error"; });
  }

  function find(box, text) {
    var cy = box._cy, wanted = (text || "").trim().toLowerCase();
    if (!cy) return;
    cy.elements().removeClass("faded found");
    box.dataset.found = "";
    if (!wanted) { cy.fit(undefined, 30); return; }
    var hit = cy.nodes().filter(function (n) { return n.data("label").toLowerCase().indexOf(wanted) >= 0; })
      .sort(function (a, b) { return b.degree() - a.degree(); })[0];
    if (!hit) { box.dataset.found = "0"; return; }
    var near = hit.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
    hit.addClass("found");
    cy.fit(near, 40);
    box.dataset.found = String(near.nodes().length);
  }

  function localPath(iri) {
    var base = document.body.dataset.base || "";
    return iri.indexOf(base) === 0 ? document.body.dataset.basePath + iri.slice(base.length) : iri;
  }

  document.querySelectorAll(".kg-network").forEach(function (box) {
    draw(box);
    var form = document.getElementById(box.dataset.controls || "");
    if (form) {
      form.addEventListener("change", function (ev) { if (!("find" in ev.target.dataset)) draw(box); });
      form.querySelectorAll("[data-find]").forEach(function (el) {
        el.addEventListener("input", function () { find(box, el.value); });
      });
    }
  });
})();

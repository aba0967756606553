// The map of the book: lays out window.BOOK_GRAPH (written by _ext/graph.py as
// _static/graph-data.js) with d3-force and draws it as SVG. Every node is an SVG link:
// a click or Enter opens its page, Tab moves between nodes, and hover or focus highlights
// the node's neighbours. Drag pans; the wheel and the buttons zoom.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var box = document.getElementById("book-map-drawing");
  if (!box || !window.BOOK_GRAPH || !window.d3) { return; }
  var svg = box.querySelector("svg");
  var data = window.BOOK_GRAPH;  // compact form: see compact() in _ext/graph.py
  // A work's url is the number of its bibliography page; its anchor is its key ("work:<key>").
  function url(n) {
    return n[1] === "work" ? data.bibliography[n[3]] + "#" + n[0].slice("work:".length) : n[3];
  }
  var graph = {
    nodes: data.nodes.map(function (n) { return { id: n[0], kind: n[1], label: n[2], url: url(n) }; }),
    edges: data.edges.map(function (e) { return { source: data.nodes[e[0]][0], target: data.nodes[e[1]][0], kind: e[2] }; })
  };
  var RADIUS = { page: 6, topic: 7, term: 3, claim: 3, work: 2.5 };
  var LABELLED = { page: true, topic: true };
  var KIND_NAMES = { page: "Page", topic: "Topic", term: "Glossary term", claim: "Claim", work: "Work" };

  var nodes = graph.nodes.map(function (n) { return Object.assign({}, n); });
  var links = graph.edges.map(function (e) { return { source: e.source, target: e.target, kind: e.kind }; });
  var simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).id(function (d) { return d.id; }).distance(45).strength(0.2))
    .force("charge", d3.forceManyBody().strength(-50).distanceMax(250))
    .force("collide", d3.forceCollide(function (d) { return RADIUS[d.kind] + 2; }))
    .force("x", d3.forceX(0).strength(0.08))
    .force("y", d3.forceY(0).strength(0.08))
    .stop();
  for (var i = 0; i < 300; i += 1) { simulation.tick(); }  // a fixed layout, the same on every visit

  var neighbours = {};
  var edgesOf = {};
  nodes.forEach(function (n) { neighbours[n.id] = new Set(); edgesOf[n.id] = []; });

  var edgeLayer = document.createElementNS(SVG, "g");
  var nodeLayer = document.createElementNS(SVG, "g");
  var view = document.createElementNS(SVG, "g");
  view.appendChild(edgeLayer);
  view.appendChild(nodeLayer);
  svg.appendChild(view);

  links.forEach(function (l) {
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", l.source.x.toFixed(1));
    line.setAttribute("y1", l.source.y.toFixed(1));
    line.setAttribute("x2", l.target.x.toFixed(1));
    line.setAttribute("y2", l.target.y.toFixed(1));
    edgeLayer.appendChild(line);
    neighbours[l.source.id].add(l.target.id);
    neighbours[l.target.id].add(l.source.id);
    edgesOf[l.source.id].push(line);
    edgesOf[l.target.id].push(line);
  });

  var elements = {};
  // Larger nodes last, so they sit on top; Tab order follows the same order.
  nodes.slice().sort(function (a, b) { return RADIUS[a.kind] - RADIUS[b.kind] || a.label.localeCompare(b.label); })
    .forEach(function (n) {
      var g = document.createElementNS(SVG, "g");
      g.setAttribute("class", "node kind-" + n.kind);
      var a = document.createElementNS(SVG, "a");
      a.setAttribute("href", n.url);
      a.setAttribute("aria-label", KIND_NAMES[n.kind] + ": " + n.label + " (" + neighbours[n.id].size + " connections)");
      a.dataset.id = n.id;
      var circle = document.createElementNS(SVG, "circle");
      circle.setAttribute("cx", n.x.toFixed(1));
      circle.setAttribute("cy", n.y.toFixed(1));
      circle.setAttribute("r", RADIUS[n.kind]);
      var title = document.createElementNS(SVG, "title");
      title.textContent = KIND_NAMES[n.kind] + ": " + n.label;
      circle.appendChild(title);
      a.appendChild(circle);
      if (LABELLED[n.kind]) {
        var text = document.createElementNS(SVG, "text");
        text.setAttribute("x", (n.x + RADIUS[n.kind] + 2).toFixed(1));
        text.setAttribute("y", (n.y + 2.5).toFixed(1));
        text.setAttribute("aria-hidden", "true");
        text.textContent = n.label.length > 40 ? n.label.slice(0, 38) + "\u2026" : n.label;
        a.appendChild(text);
      }
      g.appendChild(a);
      nodeLayer.appendChild(g);
      elements[n.id] = g;
      a.addEventListener("mouseenter", function () { highlight(n.id); });
      a.addEventListener("focus", function () { highlight(n.id); ensureVisible(n); });
      a.addEventListener("mouseleave", clear);
      a.addEventListener("blur", clear);
    });

  function highlight(id) {
    clear();
    svg.classList.add("has-focus");
    elements[id].classList.add("is-focus");
    neighbours[id].forEach(function (other) { elements[other].classList.add("is-neighbour"); });
    edgesOf[id].forEach(function (line) { line.classList.add("is-near"); });
  }

  function clear() {
    svg.classList.remove("has-focus");
    svg.querySelectorAll(".is-focus, .is-neighbour, .is-near").forEach(function (el) {
      el.classList.remove("is-focus", "is-neighbour", "is-near");
    });
  }

  // Pan and zoom: the viewBox is the camera.
  var xs = nodes.map(function (n) { return n.x; });
  var ys = nodes.map(function (n) { return n.y; });
  var home = { x: Math.min.apply(null, xs) - 20, y: Math.min.apply(null, ys) - 20 };
  home.w = Math.max.apply(null, xs) + 20 - home.x;
  home.h = Math.max.apply(null, ys) + 20 - home.y;
  var cam = Object.assign({}, home);
  function apply() { svg.setAttribute("viewBox", [cam.x, cam.y, cam.w, cam.h].map(function (v) { return v.toFixed(1); }).join(" ")); }
  function zoom(factor, cx, cy) {
    cx = cx === undefined ? cam.x + cam.w / 2 : cx;
    cy = cy === undefined ? cam.y + cam.h / 2 : cy;
    cam.x = cx - (cx - cam.x) * factor;
    cam.y = cy - (cy - cam.y) * factor;
    cam.w *= factor;
    cam.h *= factor;
    apply();
  }
  function toGraph(event) {
    var rect = svg.getBoundingClientRect();
    var scale = Math.max(cam.w / rect.width, cam.h / rect.height);
    var offsetX = (rect.width * scale - cam.w) / 2;
    var offsetY = (rect.height * scale - cam.h) / 2;
    return { x: cam.x - offsetX + (event.clientX - rect.left) * scale,
             y: cam.y - offsetY + (event.clientY - rect.top) * scale, scale: scale };
  }
  function ensureVisible(n) {
    if (n.x < cam.x || n.x > cam.x + cam.w || n.y < cam.y || n.y > cam.y + cam.h) {
      cam.x = n.x - cam.w / 2;
      cam.y = n.y - cam.h / 2;
      apply();
    }
  }
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = toGraph(event);
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.target.closest("a")) { return; }  // a click on a node opens it
    drag = { x: event.clientX, y: event.clientY, scale: toGraph(event).scale };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    cam.x -= (event.clientX - drag.x) * drag.scale;
    cam.y -= (event.clientY - drag.y) * drag.scale;
    drag.x = event.clientX;
    drag.y = event.clientY;
    apply();
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  box.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var how = button.dataset.zoom;
      if (how === "in") { zoom(1 / 1.4); } else if (how === "out") { zoom(1.4); } else { cam = Object.assign({}, home); apply(); }
    });
  });
  box.querySelector(".book-map-controls").hidden = false;
  box.classList.add("is-drawn");
  apply();
})();

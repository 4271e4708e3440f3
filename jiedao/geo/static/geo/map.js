/* Jiedao map page: draws the subdistrict's layers from /api/v1/geo/layers/ with Leaflet (served locally). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var el = document.getElementById("map");
  var map = L.map(el, { preferCanvas: true, zoomControl: true }).setView(config.center, 15);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map);
  }
  var styles = {
    areas: { color: "#b42318", weight: 3, fill: false },
    communities: { color: "#1d4ed8", weight: 1.5, fillOpacity: 0.04 },
    grids: { color: "#64748b", weight: 0.8, dashArray: "3 3", fillOpacity: 0 },
    roads: { color: "#f59e0b", weight: 4, opacity: 0.8 },
    estates: { color: "#0f766e", weight: 1, fillOpacity: 0.08 },
  };
  var order = ["areas", "communities", "grids", "estates", "roads", "buildings"];
  var overlays = {};
  var loaded = {};

  // A place's popup, built as text nodes: names are typed by staff and must never become markup.
  function label(feature) {
    var p = feature.properties;
    var box = document.createElement("div");
    box.textContent = p.name || p.address || "";
    if (p.code) {
      var code = document.createElement("small");
      code.textContent = p.code;
      box.appendChild(document.createTextNode(" "));
      box.appendChild(code);
    }
    return box;
  }

  function draw(name, data) {
    var layer = L.geoJSON(data, {
      style: function () { return styles[name] || {}; },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 3, color: "#334155", weight: 1, fillOpacity: 0.7 });
      },
      onEachFeature: function (feature, lyr) { lyr.bindPopup(function () { return label(feature); }); },
    });
    overlays[name] = layer;
    loaded[name] = data.features.length;
    return layer;
  }

  function fetchLayer(name) {
    var url = config.layersUrl + name + "?crs=" + encodeURIComponent(config.tileCrs) +
      (config.subdistrict ? "&subdistrict=" + config.subdistrict : "");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error(name + ": HTTP " + r.status); }
        return r.json();
      })
      .then(function (data) { return draw(name, data); });
  }

  function focusBounds() {
    var focus = config.focus, found = null;
    if (!focus || !overlays[focus.layer]) { return null; }
    overlays[focus.layer].eachLayer(function (lyr) {
      if (lyr.feature && lyr.feature.id === focus.id && lyr.getBounds) { found = lyr.getBounds(); }
    });
    if (found) { el.dataset.focus = focus.layer + ":" + focus.id; }
    return found;
  }

  Promise.all(order.map(fetchLayer)).then(function () {
    // Added in a fixed order, whatever order the layers arrived in: finer places lie on top, so a click
    // opens the smallest place under the pointer (the grid, not its 居委 or 片区).
    order.forEach(function (n) { if (n !== "estates") { overlays[n].addTo(map); } });
    var control = {};
    order.forEach(function (n) { control[config.labels[n] || n] = overlays[n]; });
    L.control.layers(null, control, { collapsed: false }).addTo(map);
    // Open on the place the user's scope names (a grid worker's grid), else on the whole subdistrict.
    var bounds = focusBounds() || overlays.areas.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { animate: false }); }
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      order.forEach(function (n) {
        var line = L.DomUtil.create("div", "", div);
        var swatch = L.DomUtil.create("i", "", line);
        swatch.style.background = (styles[n] || { color: "#334155" }).color;
        line.appendChild(document.createTextNode((config.labels[n] || n) + " " + loaded[n]));
      });
      L.DomUtil.create("div", "map-note", div).textContent = config.labels.approximate;
      return div;
    };
    legend.addTo(map);
    el.dataset.bounds = map.getBounds().toBBoxString();
    el.dataset.loaded = order.map(function (n) { return n + ":" + loaded[n]; }).join(",");
  }).catch(function (err) {
    el.dataset.error = String(err);
    throw err;
  });
})();

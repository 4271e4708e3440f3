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

  function label(feature) {
    var p = feature.properties;
    return (p.name || p.address || "") + (p.code ? " <small>" + p.code + "</small>" : "");
  }

  function draw(name, data) {
    var layer = L.geoJSON(data, {
      style: function () { return styles[name] || {}; },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 3, color: "#334155", weight: 1, fillOpacity: 0.7 });
      },
      onEachFeature: function (feature, lyr) { lyr.bindPopup(label(feature)); },
    });
    overlays[name] = layer;
    loaded[name] = data.features.length;
    if (name !== "estates") { layer.addTo(map); }
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

  Promise.all(order.map(fetchLayer)).then(function () {
    var control = {};
    order.forEach(function (n) { control[config.labels[n] || n] = overlays[n]; });
    L.control.layers(null, control, { collapsed: false }).addTo(map);
    var bounds = overlays.areas.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds); }
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      div.innerHTML = order.map(function (n) {
        var colour = (styles[n] || { color: "#334155" }).color;
        return '<i style="background:' + colour + '"></i>' + (config.labels[n] || n) + " " + loaded[n];
      }).join("<br>") + '<div class="map-note">' + config.labels.approximate + "</div>";
      return div;
    };
    legend.addTo(map);
    el.dataset.loaded = order.map(function (n) { return n + ":" + loaded[n]; }).join(",");
  }).catch(function (err) {
    el.dataset.error = String(err);
    throw err;
  });
})();

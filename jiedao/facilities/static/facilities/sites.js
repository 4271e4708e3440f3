/* 选址: the chosen sites, numbered in the order picked, over the subdistrict's 居委 and roads. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sites-config").textContent);
  var el = document.getElementById("sites-map");
  var map = L.map(el, { preferCanvas: true }).setView(config.center, 15);
  if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
  // Each site with the buildings it newly brings within the circle (walked on the network, not a radius).
  var HUES = ["#1d4ed8", "#b45309", "#15803d", "#9333ea", "#be123c", "#0e7490"];
  var picks = L.featureGroup();
  config.picks.forEach(function (p, i) {
    var hue = HUES[i % HUES.length];
    p.covers.forEach(function (at) {
      picks.addLayer(L.circleMarker(at, { radius: 3, color: hue, weight: 1, fillColor: hue, fillOpacity: 0.6, interactive: false }));
    });
    var marker = L.circleMarker([p.lat, p.lon], { radius: 9, color: "#fff", weight: 2, fillColor: hue, fillOpacity: 0.95 });
    marker.bindTooltip(String(p.n), { permanent: true, direction: "center", className: "pick-label" });
    marker.bindPopup(function () {
      var box = document.createElement("div");
      box.textContent = config.labels.pick.replace("%(n)s", p.n) + "：" + p.label + " · " + config.labels.gain + " " + p.gain;
      return box;
    });
    picks.addLayer(marker);
  });
  picks.addTo(map);
  function layer(name, style) {
    return fetch(config.geo + name + "?subdistrict=" + config.subdistrict, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { L.geoJSON(data, { style: function () { return style; }, interactive: false }).addTo(map); });
  }
  Promise.all([layer("communities", { color: "#1d4ed8", weight: 1, fill: false, dashArray: "4 4" }),
               layer("roads", { color: "#f59e0b", weight: 3, opacity: 0.7 })]).then(function () {
    picks.bringToFront();
    if (picks.getLayers().length) { map.fitBounds(picks.getBounds().pad(0.15), { animate: false, maxZoom: 17 }); }
    el.dataset.loaded = String(config.picks.length);
  });
})();

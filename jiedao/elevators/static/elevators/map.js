/* 候选楼栋地图: every candidate building as a dot coloured by its feasibility score; a click opens its
   score and a link to its page. Leaflet is served locally. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("elv-config").textContent);
  var el = document.getElementById("elv-map");
  var map = L.map(el, { preferCanvas: true }).setView(config.center, 15);
  if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }

  function colour(score) {
    if (score >= 70) { return "#15803d"; }
    if (score >= 50) { return "#d97706"; }
    return "#b91c1c";
  }

  // Popups are built from text nodes: addresses come from data staff typed.
  function popup(p) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url;
    a.textContent = p.address;
    box.appendChild(a);
    var line = document.createElement("div");
    line.textContent = config.labels.score + " " + p.score + (p.missing.length ? " · " + config.labels.missing + " " + p.missing.length : "");
    box.appendChild(line);
    return box;
  }

  fetch(config.points, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      var bounds = [];
      data.features.forEach(function (f) {
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        bounds.push(ll);
        L.circleMarker(ll, { radius: 6, color: colour(f.properties.score), fillOpacity: 0.8, weight: 1 })
          .bindPopup(popup(f.properties)).addTo(map);
      });
      if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 }); }
      el.setAttribute("data-loaded", String(data.features.length));
    })
    .catch(function (e) { el.setAttribute("data-error", String(e)); });
}());

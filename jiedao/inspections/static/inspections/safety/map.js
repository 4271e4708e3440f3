/* 平安指数地图: the 居委 outlines coloured by their score; a click opens the 居委's page. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("safety-map-config").textContent);
  var el = document.getElementById("safety-map");
  var map = L.map(el).setView(config.center, 15);
  if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
  function colour(score) {
    return score >= 90 ? "#15803d" : score >= 80 ? "#65a30d" : score >= 70 ? "#d97706" : "#b42318";
  }
  fetch(config.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (f) { return { color: "#fff", weight: 1, fillOpacity: 0.6, fillColor: colour(f.properties.score) }; },
        onEachFeature: function (f, l) {
          // Built as text: names are typed by staff and must never become markup.
          var box = document.createElement("div");
          var link = document.createElement("a");
          link.href = config.communityUrl.replace("/0/", "/" + f.properties.id + "/");
          link.textContent = f.properties.name;
          box.appendChild(link);
          var change = f.properties.change === null ? "" : " (" + config.labels.change + " " + f.properties.change + ")";
          box.appendChild(document.createTextNode(" " + config.labels.score + " " + f.properties.score + change));
          l.bindPopup(box);
        }
      }).addTo(map);
      if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { animate: false }); }
      el.dataset.features = String(data.features.length);
    })
    .catch(function (err) { document.getElementById("map-note").textContent = String(err); });

  // The trend reads fourteen months of events: it comes as its own fragment (server-rendered SVG and table).
  var trend = document.getElementById("safety-trend");
  fetch(config.trendUrl, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.text(); })
    .then(function (html) { trend.innerHTML = html; trend.dataset.loaded = "1"; })
    .catch(function (err) { trend.textContent = String(err); });
})();

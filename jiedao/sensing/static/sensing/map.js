/* 设备地图: the devices as coloured dots (canvas, so that 20,000 stay smooth), a click opens the device. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("device-map-config").textContent);
  var el = document.getElementById("device-map");
  var map = L.map(el, { preferCanvas: true }).setView(config.center, 15);
  if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
  var colours = { online: "#15803d", offline: "#b42318", never: "#64748b", retired: "#d97706" };
  var renderer = L.canvas({ padding: 0.5 });
  var counts = { online: 0, offline: 0, never: 0, retired: 0 };

  fetch(config.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      var bounds = L.latLngBounds([]);
      data.points.forEach(function (p) {
        var marker = L.circleMarker([p.lat, p.lon], {
          renderer: renderer, radius: 4, weight: 1, color: "#fff", fillOpacity: 0.9,
          fillColor: colours[p.health] || colours.never,
        });
        // Built as text: codes are typed by staff and must never become markup.
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = config.deviceUrl.replace("CODE", encodeURIComponent(p.code));
        link.textContent = p.code;
        box.appendChild(link);
        box.appendChild(document.createTextNode(" " + (config.labels[p.health] || "")));
        marker.bindPopup(box);
        marker.addTo(map);
        bounds.extend([p.lat, p.lon]);
        counts[p.health] = (counts[p.health] || 0) + 1;
      });
      if (bounds.isValid()) { map.fitBounds(bounds, { animate: false, maxZoom: 17 }); }
      el.dataset.points = String(data.points.length);
      var legend = L.control({ position: "bottomleft" });
      legend.onAdd = function () {
        var div = L.DomUtil.create("div", "map-legend");
        Object.keys(colours).forEach(function (k) {
          var row = document.createElement("div");
          var dot = document.createElement("i");
          dot.style.background = colours[k];
          dot.style.borderRadius = "50%";
          row.appendChild(dot);
          row.appendChild(document.createTextNode(config.labels[k] + " " + (counts[k] || 0)));
          div.appendChild(row);
        });
        return div;
      };
      legend.addTo(map);
    })
    .catch(function (err) {
      document.getElementById("map-count").textContent = String(err);
    });
})();

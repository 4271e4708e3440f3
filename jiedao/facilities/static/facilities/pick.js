/* A facility's position on a map: a marker that an administrator drags, or sets with a click, to fill the
   form's 经度 / 纬度 (WGS84); without the form, the map only shows where it is. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("pick-config").textContent);
  var el = document.getElementById("pick-map");
  var lon = document.getElementById("id_lon");
  var lat = document.getElementById("id_lat");
  var editable = Boolean(lon && lat);
  var map = L.map(el, { preferCanvas: true }).setView(config.center, 16);
  if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
  ["communities", "roads"].forEach(function (name) {
    fetch(config.geo + name + "?subdistrict=" + config.subdistrict, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        L.geoJSON(data, { interactive: false, style: function () {
          return name === "roads" ? { color: "#f59e0b", weight: 3, opacity: 0.7 } : { color: "#1d4ed8", weight: 1, fill: false, dashArray: "4 4" };
        } }).addTo(map);
      });
  });
  var start = editable && lon.value && lat.value ? [parseFloat(lat.value), parseFloat(lon.value)] : config.center;
  var marker = L.marker(start, { draggable: editable, keyboard: editable }).addTo(map);
  function fill(latlng) {
    if (!editable) { return; }
    lon.value = latlng.lng.toFixed(7);
    lat.value = latlng.lat.toFixed(7);
    el.dataset.picked = lon.value + "," + lat.value;
  }
  if (editable) {
    marker.on("dragend", function () { fill(marker.getLatLng()); });
    map.on("click", function (event) { marker.setLatLng(event.latlng); fill(event.latlng); });
    [lon, lat].forEach(function (input) {
      input.addEventListener("change", function () {
        var p = [parseFloat(lat.value), parseFloat(lon.value)];
        if (isFinite(p[0]) && isFinite(p[1])) { marker.setLatLng(p); map.panTo(p); }
      });
    });
  }
  el.dataset.ready = "1";
})();

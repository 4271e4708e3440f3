/* 生活圈地图: one facility type's walking circles (isochrones along the network, from the server), its
   facilities, and every building coloured by its walk to the nearest one. A click on the map asks the server
   what adding a facility there would change (假设分析, nothing saved). Leaflet is served locally. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("fac-config").textContent);
  var L10N = config.labels;
  var el = document.getElementById("fac-map");
  // On a phone the map comes right after the summary; the table per 居委 opens on a tap.
  if (window.innerWidth < 760) {
    Array.prototype.forEach.call(document.querySelectorAll("details.by-community"), function (d) { d.open = false; });
  }
  var map = L.map(el, { preferCanvas: true }).setView(config.center, 15);
  if (config.tileUrl) { L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map); }
  var COLOURS = { covered: "#15803d", near: "#d97706", far: "#b91c1c", unreachable: "#6b7280" };
  var counts = {};

  function query(extra) {
    var q = Object.assign({}, config.query, extra || {});
    return Object.keys(q).filter(function (k) { return q[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(q[k]); }).join("&");
  }

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }

  // Popups are built from text nodes: names are typed by staff and must never become markup.
  function facts(title, rows) {
    var box = document.createElement("div");
    box.className = "fac-popup";
    var strong = document.createElement("strong");
    strong.textContent = title;
    box.appendChild(strong);
    var dl = document.createElement("dl");
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") { return; }
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    box.appendChild(dl);
    return box;
  }

  function kind(p) {
    if (p.distance_m === null) { return "unreachable"; }
    if (p.covered) { return "covered"; }
    return p.distance_m <= 2 * config.within ? "near" : "far";
  }

  function walk(p) {
    if (p.distance_m === null) { return L10N.unreachable; }
    return Math.round(p.distance_m) + " " + L10N.metres + " · " + p.minutes + " " + L10N.minutes;
  }

  var layers = {};

  function drawIsochrones(data) {
    counts.isochrones = data.features.length;
    layers.isochrones = L.geoJSON(data, {
      style: function () { return { color: "#15803d", weight: 1, fillColor: "#22c55e", fillOpacity: 0.18 }; },
      interactive: false,
    });
  }

  function drawBuildings(data) {
    counts.buildings = data.features.length;
    var tally = { covered: 0, near: 0, far: 0, unreachable: 0 };
    layers.buildings = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var k = kind(feature.properties);
        tally[k] += 1;
        return L.circleMarker(latlng, { radius: 3.5, color: COLOURS[k], weight: 1, fillColor: COLOURS[k], fillOpacity: 0.85 });
      },
      onEachFeature: function (feature, lyr) {
        var p = feature.properties;
        lyr.bindPopup(function () {
          return facts("#" + p.building, [[L10N.walk, walk(p)], [L10N.residents, p.residents], [L10N.elderly, p.residents_60_plus]]);
        });
      },
    });
    counts.tally = tally;
  }

  function drawFacilities(data) {
    counts.facilities = data.features.length;
    layers.facilities = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var s = feature.properties.status;
        return L.circleMarker(latlng, {
          radius: 7, weight: 2, color: s === "open" ? "#1d4ed8" : "#64748b", fillColor: s === "open" ? "#3b82f6" : "#fff",
          fillOpacity: s === "closed" ? 0.2 : 0.9, dashArray: s === "planned" ? "3 3" : null,
        });
      },
      onEachFeature: function (feature, lyr) {
        var p = feature.properties;
        lyr.bindPopup(function () {
          var box = facts(p.name, [[p.type_name, L10N[p.status] || p.status], ["", p.address]]);
          var link = document.createElement("a");
          link.href = "/facilities/register/" + p.id + "/";
          link.textContent = "›";
          box.appendChild(link);
          return box;
        });
      },
    });
  }

  function drawPlaces(name, data) {
    layers[name] = L.geoJSON(data, {
      style: function () {
        return name === "roads" ? { color: "#f59e0b", weight: 3, opacity: 0.7 } : { color: "#1d4ed8", weight: 1, fill: false, dashArray: "4 4" };
      },
      interactive: false,
    });
  }

  function legend() {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      ["covered", "near", "far", "unreachable"].forEach(function (k) {
        var line = L.DomUtil.create("div", "", div);
        var swatch = L.DomUtil.create("i", "", line);
        swatch.style.background = COLOURS[k];
        line.appendChild(document.createTextNode(L10N[k] + " " + counts.tally[k]));
      });
      var area = L.DomUtil.create("div", "", div);
      var sw = L.DomUtil.create("i", "area", area);
      sw.style.background = "rgba(34,197,94,.35)";
      area.appendChild(document.createTextNode(L10N.isochrones));
      L.DomUtil.create("div", "map-note", div).textContent = L10N.approximate;
      return div;
    };
    control.addTo(map);
  }

  function csrfToken() {
    var input = document.querySelector("#csrf input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // 假设分析: a click proposes a facility there; the server answers how coverage would change.
  map.on("click", function (event) {
    var box = document.createElement("div");
    box.className = "fac-popup";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = L10N.whatIf;
    var out = document.createElement("div");
    box.appendChild(button);
    box.appendChild(out);
    var popup = L.popup().setLatLng(event.latlng).setContent(box).openOn(map);
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(config.api + "what-if?subdistrict=" + config.query.subdistrict, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ type: config.query.type, within_m: config.within,
                               add: [{ lon: event.latlng.lng, lat: event.latlng.lat }] }),
      }).then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (answer) {
          if (!answer.ok) { out.textContent = answer.data.detail || "?"; return; }
          var b = answer.data.before, a = answer.data.after;
          out.appendChild(facts(L10N.whatIfDone, [
            [L10N.elderly, b.covered_residents_60_plus + " → " + a.covered_residents_60_plus],
            [L10N.residents, b.covered_residents + " → " + a.covered_residents],
          ]));
          el.dataset.whatIf = String(a.covered_residents - b.covered_residents);
          popup.update();
        })
        .catch(function (err) { out.textContent = String(err); });
    });
  });

  var api = config.api;
  Promise.all([
    get(config.geo + "communities?subdistrict=" + config.query.subdistrict).then(function (d) { drawPlaces("communities", d); }),
    get(config.geo + "roads?subdistrict=" + config.query.subdistrict).then(function (d) { drawPlaces("roads", d); }),
    get(api + "isochrones.geojson?" + query()).then(drawIsochrones),
    get(api + "buildings.geojson?" + query()).then(drawBuildings),
    get(api + "facilities.geojson?" + query({ within: undefined })).then(drawFacilities),
  ]).then(function () {
    ["communities", "roads", "isochrones", "buildings", "facilities"].forEach(function (n) { layers[n].addTo(map); });
    var overlays = {};
    overlays[L10N.isochrones] = layers.isochrones;
    overlays[L10N.buildings] = layers.buildings;
    overlays[L10N.facilities] = layers.facilities;
    overlays[L10N.roads] = layers.roads;
    overlays[L10N.communities] = layers.communities;
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 760 }).addTo(map);
    legend();
    var bounds = layers.buildings.getBounds();
    if (!bounds.isValid()) { bounds = layers.communities.getBounds(); }
    if (bounds.isValid()) { map.fitBounds(bounds, { animate: false, padding: [10, 10] }); }
    el.dataset.loaded = ["facilities", "isochrones", "buildings"].map(function (n) { return n + ":" + counts[n]; }).join(",");
  }).catch(function (err) {
    el.dataset.error = String(err);
    throw err;
  });
})();

/* 一网统管 pages: dispatch dialog, bulk selection, the case map, the 12345 desk form's hints, and GPS on the
   report form. Plain JS, no CDN. */
(function () {
  "use strict";

  // Dialogs (派遣): open with their button; one re-rendered with errors opens by itself.
  document.querySelectorAll(".open-dialog").forEach(function (button) {
    button.addEventListener("click", function () {
      document.getElementById(button.dataset.dialog).showModal();
    });
  });
  document.querySelectorAll("dialog .close-dialog").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });
  document.querySelectorAll("dialog[data-open]").forEach(function (d) { d.showModal(); });

  // The time limit of the chosen process, as it would be if dispatched now.
  var previewData = document.getElementById("due-previews");
  if (previewData) {
    var previews = {};
    JSON.parse(previewData.textContent).forEach(function (p) { previews[p.code] = p; });
    document.querySelectorAll("form.action-form").forEach(function (form) {
      var select = form.querySelector("select[name$='-process']");
      var out = form.querySelector(".due-preview span");
      if (!select || !out) { return; }
      var show = function () {
        var p = previews[select.value];
        out.textContent = p ? p.limit + "（" + p.due + "）" : "";
      };
      select.addEventListener("change", show);
      show();
    });
  }

  // Bulk dispatch: select all on the page, and how many are selected.
  var all = document.getElementById("check-all");
  var count = document.getElementById("bulk-count");
  var boxes = document.querySelectorAll("#bulk input[name=ids]");
  function updateCount() {
    if (!count) { return; }
    var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    count.textContent = n ? count.dataset.template.replace("%(n)s", n) : "";
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      updateCount();
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", updateCount); });

  // The case's place on a small map (Leaflet, served locally); a click fills the 人工定位 form.
  var mapEl = document.getElementById("case-map");
  var mapConfig = document.getElementById("case-map-config");
  if (mapEl && mapConfig && window.L) {
    var cfg = JSON.parse(mapConfig.textContent);
    var map = L.map(mapEl, { zoomControl: true, attributionControl: false })
      .setView(cfg.point || cfg.center, cfg.point ? 17 : 14);
    if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, { maxZoom: 19 }).addTo(map); }
    if (cfg.outline.length) {
      var outline = L.polygon(cfg.outline, { color: "#64748b", weight: 1, dashArray: "3 3", fillOpacity: 0.05 })
        .addTo(map);
      if (!cfg.point) { map.fitBounds(outline.getBounds()); }
    }
    var marker = cfg.point ? L.circleMarker(cfg.point, { radius: 8, color: "#b42318", fillOpacity: 0.8 }).addTo(map)
      : null;
    var lat = document.querySelector("input[name='place-lat']");
    var lon = document.querySelector("input[name='place-lon']");
    if (lat && lon && !cfg.shifted) {
      map.on("click", function (e) {
        lat.value = e.latlng.lat.toFixed(6);
        lon.value = e.latlng.lng.toFixed(6);
        if (marker) { marker.setLatLng(e.latlng); } else {
          marker = L.circleMarker(e.latlng, { radius: 8, color: "#b42318", fillOpacity: 0.8 }).addTo(map);
        }
        var details = lat.closest("details");
        if (details) { details.open = true; }
      });
    }
    mapEl.dataset.ready = "1";
  }

  // 12345 desk form: as the operator types, what intake would make of the order (the classifier's
  // suggestion, the address found, the open cases it likely repeats), asked at most once per pause in typing.
  var hotline = document.getElementById("hotline-form");
  if (hotline) {
    var field = function (name) { return hotline.querySelector("[name=" + name + "]"); };
    var hints = {
      suggestion: document.getElementById("hint-suggestion"),
      address: document.getElementById("hint-address"),
      duplicate: document.getElementById("hint-duplicate")
    };
    var el = function (tag, text, className) {
      var node = document.createElement(tag);
      if (text) { node.textContent = text; }
      if (className) { node.className = className; }
      return node;
    };
    var useButton = function (hint, onClick) {
      var b = el("button", hint.dataset.use, "small use");
      b.type = "button";
      b.addEventListener("click", onClick);
      return b;
    };
    var show = function (hint, nodes) {
      hint.replaceChildren.apply(hint, nodes);
      hint.hidden = nodes.length === 0;
    };
    var render = function (data) {
      var s = data.suggestion;
      var nodes = [];
      if (s) {
        nodes.push(el("span", hints.suggestion.dataset.label), el("strong", s.code + " " + s.category),
          el("span", " " + s.pct + "% ", "confidence"));
        nodes.push(useButton(hints.suggestion, function () { field("category").value = s.code; schedule(); }));
        if (s.alternatives.length) {
          nodes.push(el("div", hints.suggestion.dataset.alternatives + s.alternatives.map(function (a) {
            return a.category + " " + a.pct + "%";
          }).join("、"), "muted"));
        }
      }
      show(hints.suggestion, nodes);
      var a = data.address;
      nodes = [];
      if (a && a.building) {
        nodes.push(el("span", hints.address.dataset.label), el("strong", a.building));
        if (a.place) { nodes.push(el("span", " · " + a.place, "muted")); }
        if (a.building !== field("address").value.trim()) {
          nodes.push(useButton(hints.address, function () { field("address").value = a.building; schedule(); }));
        }
      } else if (a && a.message) {
        nodes.push(el("span", a.message, "warn"));
      }
      show(hints.address, nodes);
      nodes = [];
      if (data.duplicates.length) {
        var list = el("ul", "", "duplicates");
        data.duplicates.forEach(function (d) {
          var link = el("a", d.number);
          link.href = hints.duplicate.dataset.url.replace("/0/", "/" + d.number + "/");
          link.target = "_blank";
          link.rel = "noopener";
          var item = el("li");
          item.dataset.number = d.number;
          item.append(link, el("span", " " + d.pct + "% · " + d.status + " · " + d.reported_at, "muted"),
            el("div", d.description), el("div", d.reasons, "muted reasons"));
          list.append(item);
        });
        nodes.push(el("div", hints.duplicate.dataset.label), list, el("div", hints.duplicate.dataset.note, "muted"));
      }
      show(hints.duplicate, nodes);
    };
    var timer = null;
    var asked = "";
    var ask = function () {
      var params = new URLSearchParams({
        description: field("description").value, address: field("address").value,
        category: field("category").value, reported_at: field("reported_at").value
      }).toString();
      if (params === asked) { return; }
      asked = params;
      fetch(hotline.dataset.previewUrl + "?" + params, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && params === asked) { render(data); hotline.dataset.previewed = params; }
        })
        .catch(function () { /* hints are a help, the form works without them */ });
    };
    var schedule = function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 400);
    };
    hotline.querySelectorAll("[data-preview], [name=reported_at]").forEach(function (input) {
      input.addEventListener("input", schedule);
      input.addEventListener("change", schedule);
    });
    hotline.addEventListener("submit", function () { clearTimeout(timer); });
    if (field("description").value.trim()) { ask(); }
  }

  // Report form: GPS fills the hidden lat/lon and says so; without it the address is the fallback.
  var status = document.getElementById("gps-status");
  var form = document.getElementById("report-form");
  if (status && form) {
    var latIn = form.querySelector("input[name=lat]");
    var lonIn = form.querySelector("input[name=lon]");
    var locate = function () {
      if (!navigator.geolocation) {
        status.textContent = status.dataset.unsupported;
        status.className = "gps-status failed";
        return;
      }
      status.textContent = status.dataset.locating;
      status.className = "gps-status";
      navigator.geolocation.getCurrentPosition(function (pos) {
        latIn.value = pos.coords.latitude.toFixed(6);
        lonIn.value = pos.coords.longitude.toFixed(6);
        status.textContent = status.dataset.ok.replace("%(m)s", Math.round(pos.coords.accuracy));
        status.className = "gps-status ok";
      }, function () {
        status.textContent = status.dataset.failed;
        status.className = "gps-status failed";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    };
    document.getElementById("locate").addEventListener("click", locate);
    if (!latIn.value) { locate(); }
  }
})();

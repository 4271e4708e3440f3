// 扫码巡检: record where the phone is when the form opens (flagged far from the point, never refused).
(function () {
  "use strict";
  var status = document.getElementById("scan-gps");
  var lat = document.getElementById("scan-lat");
  var lon = document.getElementById("scan-lon");
  if (!status || !lat || !lon) return;
  if (!("geolocation" in navigator)) { status.textContent += " · " + status.dataset.failed; return; }
  var base = status.textContent;
  status.textContent = base + " · " + status.dataset.locating;
  navigator.geolocation.getCurrentPosition(function (pos) {
    lat.value = pos.coords.latitude.toFixed(6);
    lon.value = pos.coords.longitude.toFixed(6);
    status.textContent = base + " · " + status.dataset.located + " ±" + Math.round(pos.coords.accuracy) + " m";
  }, function () {
    status.textContent = base + " · " + status.dataset.failed;
  }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
})();

/* 四百走访 phone pages: the visit form (an id per form, GPS, sending), the offline queue (待发送: a form that
   could not be sent is kept in localStorage and sent once when the network is back; the server stores a form
   once by its id, so sending again is harmless), and reading a household's QR code from a photo.
   Plain JS, no CDN, no inline handlers (the Content-Security-Policy allows none). */
(function () {
  "use strict";

  var QUEUE_KEY = "jiedao.visits.outbox.v1";
  var MAX_SIDE = 1280;       // photos kept on the phone are scaled down to this many pixels on their long side
  var FAR_METRES = 200;      // as the quality check: a check-in farther from the building is shown to the head

  function readQueue() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function writeQueue(items) {
    window.localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; });
  }

  // Send one form. Resolves {ok, status, data, retry}: retry is true when the network or the server failed
  // (keep it and send later), false when the server answered for good (stored, or refused with a reason).
  function send(formData) {
    formData.set("csrfmiddlewaretoken", csrfToken());
    return fetch("/visits/submit/", {
      method: "POST", body: formData, credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 0) {
        return { ok: false, retry: true, login: true };
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        var retry = response.status >= 500 || response.status === 429 || response.status === 408;
        return { ok: response.ok, status: response.status, data: data, retry: retry };
      });
    }, function () { return { ok: false, retry: true }; });
  }

  function dataUrlToBlob(url) {
    var parts = url.split(","), type = parts[0].split(":")[1].split(";")[0];
    var bytes = atob(parts[1]), array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { array[i] = bytes.charCodeAt(i); }
    return new Blob([array], { type: type });
  }

  function shrink(file) {
    if (!window.createImageBitmap) { return Promise.resolve(null); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL("image/jpeg", 0.7);
    }).catch(function () { return null; });
  }

  // A form as it can wait in localStorage: its fields, and its photos scaled down as data URLs.
  function keep(form) {
    var fields = [], files = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) { if (value.size) { files.push(value); } } else { fields.push([name, value]); }
    });
    return Promise.all(files.map(shrink)).then(function (photos) {
      var item = {
        id: form.querySelector("input[name=client_id]").value, household: form.dataset.household,
        savedAt: new Date().toISOString(), fields: fields, photos: photos.filter(Boolean)
      };
      var queue = readQueue().filter(function (q) { return q.id !== item.id; });
      queue.push(item);
      try {
        writeQueue(queue);
      } catch (e) {  // the phone's storage is full: keep the words, leave the photos
        item.photos = [];
        item.photosDropped = true;
        queue[queue.length - 1] = item;
        writeQueue(queue);
      }
      return item;
    });
  }

  function rebuild(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (item.photos || []).forEach(function (url, i) { data.append("photos", dataUrlToBlob(url), "photo" + i + ".jpg"); });
    return data;
  }

  // ------------------------------------------------------------------------------------ the offline queue
  var banner = document.getElementById("offline-queue");
  var flushing = false;

  function showQueue(message) {
    if (!banner) { return; }
    var queue = readQueue();
    var waiting = queue.filter(function (q) { return !q.error; });
    var failed = queue.filter(function (q) { return q.error; });
    var text = message || (waiting.length ? format(banner.dataset.waiting, { n: waiting.length }) : "");
    banner.querySelector(".text").textContent = text;
    var list = banner.querySelector(".failed");
    list.textContent = "";
    if (failed.length) {
      var head = document.createElement("li");
      head.textContent = banner.dataset.failed;
      list.appendChild(head);
      failed.forEach(function (q) {
        var li = document.createElement("li");
        li.textContent = (q.household || "") + "：" + q.error;
        list.appendChild(li);
      });
    }
    banner.hidden = !(text || failed.length);
  }

  function flush() {
    var queue = readQueue().filter(function (q) { return !q.error; });
    if (flushing || !queue.length || !navigator.onLine) { showQueue(); return; }
    flushing = true;
    if (banner) { showQueue(banner.dataset.sending); }
    var chain = Promise.resolve(true);
    queue.forEach(function (item) {
      chain = chain.then(function (go) {
        if (!go) { return false; }
        return send(rebuild(item)).then(function (result) {
          var current = readQueue();
          if (result.ok) {
            writeQueue(current.filter(function (q) { return q.id !== item.id; }));
            return true;
          }
          if (result.login) { showQueue(banner && banner.dataset.login); return false; }
          if (result.retry) { return false; }
          current.forEach(function (q) {
            if (q.id === item.id) { q.error = (result.data && result.data.detail) || String(result.status); }
          });
          writeQueue(current);
          return true;
        });
      });
    });
    chain.then(function (finished) {
      flushing = false;
      var left = readQueue().filter(function (q) { return !q.error; }).length;
      if (finished !== false && !left && banner) { showQueue(banner.dataset.sent); } else { showQueue(); }
    });
  }

  window.addEventListener("online", flush);
  flush();

  // ------------------------------------------------------------------------------------------ the form
  var form = document.getElementById("visit-form");
  if (form) {
    var clientId = form.querySelector("input[name=client_id]");
    if (!clientId.value) { clientId.value = uuid4(); }
    var status = document.getElementById("gps-status");
    var photos = form.querySelector("input[type=file][name=photos]");
    var photoLabel = document.getElementById("photo-label");
    if (photos && photoLabel) {
      photos.addEventListener("change", function () {
        if (photos.files.length) { photoLabel.textContent = format(photoLabel.dataset.chosen, { n: photos.files.length }); }
      });
    }
    var button = form.querySelector("button[type=submit]");
    var formError = document.getElementById("form-error");
    var noteError = document.getElementById("note-error");

    if (navigator.geolocation && status) {
      status.textContent = status.dataset.locating;
      var building = (status.dataset.building || "").split(",").map(Number);
      navigator.geolocation.getCurrentPosition(function (position) {
        var c = position.coords;
        form.querySelector("input[name=lat]").value = c.latitude.toFixed(6);
        form.querySelector("input[name=lon]").value = c.longitude.toFixed(6);
        form.querySelector("input[name=accuracy]").value = Math.round(c.accuracy);
        var dy = (c.latitude - building[0]) * 111320;
        var dx = (c.longitude - building[1]) * 111320 * Math.cos((c.latitude + building[0]) / 2 * Math.PI / 180);
        var metres = Math.round(Math.sqrt(dx * dx + dy * dy));
        var far = metres > FAR_METRES;
        status.textContent = format(far ? status.dataset.far : status.dataset.ok, { m: metres });
        status.className = "gps " + (far ? "far" : "ok");
      }, function () {
        status.textContent = status.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }

    function showErrors(data) {
      var messages = [];
      (data.errors || []).forEach(function (e) {
        if (e.field === "note" && noteError) { noteError.textContent = e.message; noteError.hidden = false; }
        else { messages.push(e.message); }
      });
      if (!messages.length && !(data.errors || []).length) { messages.push(data.detail || form.dataset.error); }
      formError.textContent = messages.join("；");
      formError.hidden = !messages.length;
      (noteError && !noteError.hidden ? noteError : formError).scrollIntoView({ block: "center" });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      formError.hidden = true;
      noteError.hidden = true;
      var note = form.querySelector("textarea[name=note]");
      if (!note.value.trim()) {
        noteError.textContent = form.dataset.requiredNote;
        noteError.hidden = false;
        note.focus();
        return;
      }
      button.disabled = true;
      button.textContent = form.dataset.sending;
      var restore = function () { button.disabled = false; button.textContent = button.dataset.label; };
      var offline = function () {  // kept on the phone; this page says so and sends it when the network is back
        return keep(form).then(function () {
          form.hidden = true;
          var kept = document.getElementById("kept");
          kept.hidden = false;
          showQueue();
        });
      };
      if (!navigator.onLine) { offline(); return; }
      send(new FormData(form)).then(function (result) {
        if (result.ok && result.data.url) { window.location.href = result.data.url; return; }
        if (result.retry) { offline(); return; }
        restore();
        showErrors(result.data || {});
      });
    });
    button.dataset.label = button.textContent;
  }

  // -------------------------------------------------------------------------------- reading a QR code
  var scanner = document.getElementById("scanner");
  if (scanner) {
    var photo = document.getElementById("scan-photo");
    var scanStatus = document.getElementById("scan-status");
    if (!("BarcodeDetector" in window)) {
      scanStatus.textContent = scanner.dataset.unsupported;
    }
    photo.addEventListener("change", function () {
      var file = photo.files[0];
      if (!file) { return; }
      if (!("BarcodeDetector" in window)) { scanStatus.textContent = scanner.dataset.unsupported; return; }
      scanStatus.textContent = scanner.dataset.reading;
      createImageBitmap(file).then(function (bitmap) {
        return new window.BarcodeDetector({ formats: ["qr_code"] }).detect(bitmap);
      }).then(function (codes) {
        var found = codes.map(function (c) { return c.rawValue; }).filter(function (v) { return v.indexOf("/h/") !== -1; });
        if (!found.length) { scanStatus.textContent = scanner.dataset.notfound; return; }
        window.location.href = "?code=" + encodeURIComponent(found[0]);
      }).catch(function () { scanStatus.textContent = scanner.dataset.notfound; });
    });
  }
})();

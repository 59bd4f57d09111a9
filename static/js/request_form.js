// The resident's request form: "use my location" fills the hidden latitude and longitude from the phone's
// position (only when the resident taps it; nothing is asked otherwise). Texts come from the page.
(function () {
  var box = document.querySelector(".request-form .locate");
  if (!box || !navigator.geolocation) return;
  var form = box.closest("form");
  var lat = form.querySelector("input[name=latitude]");
  var lon = form.querySelector("input[name=longitude]");
  var status = box.querySelector(".locate-status");
  var clear = box.querySelector(".locate-clear");
  box.hidden = false;
  function show(text) { status.textContent = text; }
  if (lat.value && lon.value) {
    show(box.getAttribute("data-located"));
    clear.hidden = false;
  }
  box.querySelector(".locate-button").addEventListener("click", function () {
    show(box.getAttribute("data-locating"));
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      lat.dispatchEvent(new Event("change", { bubbles: true }));
      show(box.getAttribute("data-located") + " (±" + Math.round(position.coords.accuracy) + " m)");
      clear.hidden = false;
    }, function () {
      show(box.getAttribute("data-failed"));
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
  clear.addEventListener("click", function () {
    lat.value = lon.value = "";
    lat.dispatchEvent(new Event("change", { bubbles: true }));
    show("");
    clear.hidden = true;
  });
})();

// Voice: record up to 60 seconds with MediaRecorder (Opus in WebM on Chromium and Android, AAC in MP4 on
// iPhones) and put the recording into the form's file input, so that the form sends it like a chosen file.
// The server checks the content and the duration (officers/resident_requests/voice.py).
(function () {
  var box = document.querySelector(".request-form .recorder");
  if (!box || !window.MediaRecorder || !navigator.mediaDevices || !window.DataTransfer) return;
  var input = box.closest(".field").querySelector("input[type=file][name=voice]");
  var start = box.querySelector(".record-start");
  var stop = box.querySelector(".record-stop");
  var status = box.querySelector(".record-status");
  var preview = box.querySelector(".record-preview");
  var LIMIT_MS = 60000;
  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
  var recorder = null, timer = null;
  box.hidden = false;

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var type = TYPES.filter(function (t) { return MediaRecorder.isTypeSupported(t); })[0] || "";
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
      var chunks = [];
      recorder.addEventListener("dataavailable", function (event) { if (event.data.size) chunks.push(event.data); });
      recorder.addEventListener("stop", function () {
        clearTimeout(timer);
        stream.getTracks().forEach(function (track) { track.stop(); });
        var mime = (recorder.mimeType || type || "audio/webm").split(";")[0];
        var ext = mime.indexOf("mp4") >= 0 ? "mp4" : mime.indexOf("ogg") >= 0 ? "ogg" : "webm";
        var file = new File(chunks, "voice." + ext, { type: mime });
        var transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        preview.src = URL.createObjectURL(file);
        preview.hidden = false;
        status.textContent = box.getAttribute("data-recorded");
        start.hidden = false;
        stop.hidden = true;
        box.setAttribute("data-ready", "1");
      });
      recorder.start(1000);
      status.textContent = box.getAttribute("data-recording");
      start.hidden = true;
      stop.hidden = false;
      timer = setTimeout(function () { if (recorder.state !== "inactive") recorder.stop(); }, LIMIT_MS);
    }, function () {
      status.textContent = box.getAttribute("data-failed");
    });
  });
  stop.addEventListener("click", function () { if (recorder && recorder.state !== "inactive") recorder.stop(); });
})();

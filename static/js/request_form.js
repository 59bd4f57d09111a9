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

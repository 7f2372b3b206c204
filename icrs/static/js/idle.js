/* Idle sign-out on shared computers (DESIGN §7), WCAG 2.2.1 (timing adjustable): before the
   server ends an idle session, warn in a dialog and let the user stay signed in with one key or
   click; when the time is up, load the page again so the server signs out and personal data
   leaves the screen. Without JavaScript, a <noscript> meta refresh in base.html does the sign-out. */
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog) { return; }
  var idle = parseFloat(dialog.getAttribute("data-idle-seconds"));
  if (!(idle > 0)) { return; }
  var lead = Math.min(120, idle / 2);  // warn two minutes before (less for very short timeouts)
  var keep = dialog.querySelector("form.keepalive");
  var warnTimer, endTimer, deadline, returnFocus, busy = false;

  function signOut() {  // a plain GET of this page: the server sees the idle session and ends it
    window.location.replace(window.location.href.split("#")[0]);
  }

  function warn() {
    if (dialog.open) { return; }
    returnFocus = document.activeElement;
    if (typeof dialog.showModal === "function") { dialog.showModal(); }
    else { dialog.setAttribute("open", ""); }
    var first = dialog.querySelector("button");
    if (first) { first.focus(); }
  }

  function close() {
    if (typeof dialog.close === "function") { dialog.close(); }
    else { dialog.removeAttribute("open"); }
    if (returnFocus && document.contains(returnFocus) && returnFocus.focus) { returnFocus.focus(); }
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    deadline = Date.now() + (idle + 5) * 1000;
    warnTimer = setTimeout(warn, (idle - lead) * 1000);
    endTimer = setTimeout(signOut, (idle + 5) * 1000);
  }

  function stay() {
    if (busy) { return; }
    busy = true;
    fetch(keep.action, {method: "POST", body: new FormData(keep), credentials: "same-origin",
                        redirect: "manual", cache: "no-store"})
      .then(function (response) {
        if (response.status !== 204) { throw new Error("session ended"); }
        busy = false;
        close();
        schedule();
      })
      .catch(signOut);
  }

  keep.addEventListener("submit", function (event) { event.preventDefault(); stay(); });
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); stay(); });  // Esc
  // A computer that slept or a background tab whose timers were held back: check on return.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && Date.now() > deadline) { signOut(); }
  });
  schedule();
}());

/* Signature captured on screen (handover receipts): a <canvas> the person signs with a finger,
   a stylus or the mouse (pointer events), written as a PNG data URL into the form's hidden
   field at every stroke; "clear" empties both. The pad and the "signed on screen" option are
   hidden in the page and only shown here: without JavaScript the option is not offered, and the
   server refuses it without a signature. No library, nothing from another host. */
(function () {
  "use strict";

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = document.getElementById(pad.getAttribute("data-input"));
    var select = document.getElementById(pad.getAttribute("data-select"));
    var method = pad.getAttribute("data-method");
    if (!canvas || !input || !select || !canvas.getContext) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false, last = null, drawn = false;

    function blank() {
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.lineWidth = 3;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      drawn = false;
    }

    function point(event) {  // the canvas keeps its 600 × 200 pixels whatever its width on screen
      var box = canvas.getBoundingClientRect();
      return {x: (event.clientX - box.left) * canvas.width / box.width,
              y: (event.clientY - box.top) * canvas.height / box.height};
    }

    function save() { input.value = drawn ? canvas.toDataURL("image/png") : ""; }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
      ctx.beginPath();
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fill();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      event.preventDefault();
      var next = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(next.x, next.y);
      ctx.stroke();
      last = next;
    });
    function end() {
      if (!drawing) { return; }
      drawing = false;
      save();
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("lostpointercapture", end);

    pad.querySelector("[data-clear]").addEventListener("click", function () {
      blank();
      save();
    });

    function toggle() { pad.hidden = select.value !== method; }
    var option = select.querySelector('option[value="' + method + '"]');
    if (option) {
      option.hidden = false;
      option.disabled = false;
      option.removeAttribute("data-needs-script");
    }
    select.addEventListener("change", toggle);

    blank();
    // the form came back with another field refused: draw it again (a PNG data URL only)
    if (input.value.indexOf("data:image/png;base64,") === 0) {
      var image = new Image();
      image.onload = function () { ctx.drawImage(image, 0, 0); drawn = true; };
      image.src = input.value;
    }
    toggle();
  }

  var pads = document.querySelectorAll("[data-signature-pad]");
  for (var i = 0; i < pads.length; i++) { setUp(pads[i]); }
})();

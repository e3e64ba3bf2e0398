// Progressive enhancement for bounded texts (core.bounds): under a textarea with a maxlength, a counter
// "typed / limit" follows the typing. Without JavaScript the hint above the field says the limit and the
// server refuses a longer text with a message next to the field. Loaded once per form; runs once per field.
(function () {
  "use strict";
  function attach(area) {
    if (area.hasAttribute("data-counted")) { return; }
    area.setAttribute("data-counted", "");
    var limit = parseInt(area.getAttribute("maxlength"), 10);
    if (!limit) { return; }
    var counter = document.createElement("div");
    counter.className = "counter";
    counter.setAttribute("aria-hidden", "true"); // the hint says the limit to screen readers; no chatter per key
    area.insertAdjacentElement("afterend", counter);
    function update() {
      var typed = area.value.length;
      counter.textContent = typed + " / " + limit;
      counter.classList.toggle("counter-near", typed > limit * 0.9);
    }
    area.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("textarea[maxlength]").forEach(attach);
})();

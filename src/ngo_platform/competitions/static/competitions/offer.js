/* Live totals of the cost calculation and of the sources: progressive enhancement only. The server
   recomputes and validates every sum; this shows them while typing. Money is computed in grosze. */
(function () {
  "use strict";
  function parse(text) {
    var raw = String(text || "").replace(/[\s\u00a0\u202f']/g, "").replace(/(zł|zl|pln)\.?$/i, "");
    if (raw.indexOf(",") >= 0 && raw.indexOf(".") >= 0) { raw = raw.replace(/\./g, "").replace(",", "."); }
    else { raw = raw.replace(",", "."); }
    if (!/^\d+(\.\d{1,2})?$/.test(raw)) { return null; }
    var parts = raw.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }
  function format(grosze) {
    var zl = Math.floor(grosze / 100), gr = grosze % 100;
    return String(zl).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") + "," + (gr < 10 ? "0" : "") + gr + "\u00a0zł";
  }
  var table = document.querySelector("[data-cost-table]");
  if (table) {
    var update = function () {
      var sums = { actions: 0, administrative: 0 };
      table.querySelectorAll("[data-cost-row]").forEach(function (row) {
        var cost = parse((row.querySelector("input[name$='-unit_cost']") || {}).value);
        var units = parse((row.querySelector("input[name$='-units']") || {}).value);
        var cell = row.querySelector("[data-line-total]");
        if (cost === null || units === null) { if (cell) { cell.textContent = ""; } return; }
        var total = Math.round(cost * units / 100);
        if (cell) { cell.textContent = format(total); }
        var kind = (row.querySelector("select[name$='-kind']") || {}).value || "";
        sums[kind === "administrative" ? "administrative" : "actions"] += total;
      });
      var set = function (key, value) { var el = document.querySelector("[data-total='" + key + "']"); if (el) { el.textContent = format(value); } };
      set("actions", sums.actions); set("administrative", sums.administrative); set("total", sums.actions + sums.administrative);
    };
    table.addEventListener("input", update);
    table.addEventListener("change", update);
  }
  var live = document.querySelector("[data-sources-sum]");
  var totalEl = document.querySelector("[data-costs-total]");
  if (live && totalEl) {
    var total = parseInt(totalEl.getAttribute("data-costs-total"), 10) || 0;
    var names = ["grant_requested", "own_financial", "own_personal", "own_in_kind", "beneficiary_fees"];
    var recompute = function () {
      var sum = 0;
      names.forEach(function (name) { var input = document.querySelector("input[name='" + name + "']"); var v = input ? parse(input.value) : 0; sum += v || 0; });
      live.hidden = false;
      live.textContent = "V.B: " + format(sum) + " / V.A: " + format(total) + (sum === total ? " ✓" : " – " + format(Math.abs(total - sum)));
    };
    names.forEach(function (name) { var input = document.querySelector("input[name='" + name + "']"); if (input) { input.addEventListener("input", recompute); } });
  }
})();

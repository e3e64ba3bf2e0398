// Progressive enhancement for status pages: an element with data-refresh-url is re-fetched every
// few seconds and replaced by the element with the same id from the fresh page, until the fresh
// element no longer asks to be refreshed. Without JavaScript the page offers a "Refresh" link.
(function () {
  "use strict";
  var INTERVAL = 2000;
  function poll(element) {
    var url = element.getAttribute("data-refresh-url");
    if (!url || !element.id) { return; }
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "live-region" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(element.id);
          if (!fresh) { return; }
          element.innerHTML = fresh.innerHTML;
          if (fresh.hasAttribute("data-refresh-url")) { poll(element); } else { element.removeAttribute("data-refresh-url"); }
        })
        .catch(function () { poll(element); });
    }, INTERVAL);
  }
  document.querySelectorAll("[data-refresh-url]").forEach(poll);
})();

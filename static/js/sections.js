// Long pages fold their long sections (<details class="fold"> inside a section). A link that jumps
// to a section, or an address that ends in its #id, opens what it points at, so a jump always
// lands on something to read. Without this script the fold is one tap away.
(function () {
  "use strict";

  function unfold(id) {
    var target = id ? document.getElementById(id) : null;
    if (!target) return;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    var fold = target.querySelector("details.fold");
    if (fold) fold.open = true;
  }

  function idOf(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (error) {
      return "";
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
    if (link) unfold(idOf(link.getAttribute("href")));
  });
  window.addEventListener("hashchange", function () {
    unfold(idOf(window.location.hash));
  });
  if (window.location.hash) unfold(idOf(window.location.hash));
})();

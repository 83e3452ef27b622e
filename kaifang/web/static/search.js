// kaifang search page: on a narrow screen the filters start folded behind their disclosure,
// so the results come first; a wide screen shows them open beside the results.
(function () {
  "use strict";
  const filters = document.getElementById("search-filters");
  if (filters && window.matchMedia("(max-width: 700px)").matches) filters.open = false;
})();

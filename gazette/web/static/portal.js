// The portal's progressive enhancement: the search reads the same without it.
// A change of the sort order or of a filter list runs the search again at once.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  ["sort", "type", "gazette"].forEach(function (name) {
    var field = form.elements[name];
    if (field) {
      field.addEventListener("change", function () {
        if (form.elements.page) { form.elements.page.value = ""; }
        form.submit();
      });
    }
  });
})();

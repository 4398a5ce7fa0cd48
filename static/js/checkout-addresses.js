// Checkout details: the new-address fields show, and are required, only while "a new
// address" is chosen; with "same as billing" or a saved address they are hidden and not
// required. Without this script every field shows and the server decides the same way.
(function () {
  "use strict";
  document.querySelectorAll("[data-new-address-for]").forEach(function (fields) {
    var radios = document.querySelectorAll(
      'input[type="radio"][name="' + fields.getAttribute("data-new-address-for") + '"]'
    );
    if (!radios.length) {
      return;
    }
    function update() {
      var isNew = false;
      radios.forEach(function (radio) {
        if (radio.checked && radio.value === "new") {
          isNew = true;
        }
      });
      fields.hidden = !isNew;
      fields.querySelectorAll("[data-required]").forEach(function (input) {
        input.required = isNew;
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });
})();

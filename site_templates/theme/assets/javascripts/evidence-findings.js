// Adds a button under an entry's summary of findings that prints that table alone
// (evidence.css). Without JavaScript there is no button: the page prints whole, as any page does.
(function () {
  "use strict";
  function ready() {
    var findings = document.querySelector(".evidence-findings");
    if (!findings || findings.querySelector(".evidence-findings__print")) return;
    var holder = document.createElement("p");
    holder.className = "evidence-findings__print";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Print the summary of findings";
    holder.appendChild(button);
    findings.appendChild(holder);
    button.addEventListener("click", function () {
      var root = document.documentElement;
      root.classList.add("evidence-print-findings");
      window.addEventListener("afterprint", function done() {
        root.classList.remove("evidence-print-findings");
        window.removeEventListener("afterprint", done);
      });
      window.print();
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(ready); // Material's instant navigation swaps pages in place
  } else {
    document.addEventListener("DOMContentLoaded", ready);
  }
})();

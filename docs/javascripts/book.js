// Accessibility touches for Material's widgets; loaded on every page (mkdocs.yml extra_javascript).
(function () {
  "use strict";

  // Regions that scroll sideways (long formulas, wide tables and diagrams) must be reachable
  // by keyboard, and say what they are.
  var SCROLLERS = ".katex-display, .md-typeset__scrollwrap, div.mermaid";

  function label(element) {
    var figure = element.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    if (caption) return caption.textContent.trim();
    if (element.matches(".katex-display")) return "公式";
    if (element.matches("div.mermaid")) return "图";
    return "表格";
  }

  function markScrollable(element) {
    if (element.scrollWidth > element.clientWidth + 1) {
      element.tabIndex = 0;
      element.setAttribute("role", "region");
      element.setAttribute("aria-label", label(element));
    } else if (element.getAttribute("role") === "region") {
      element.removeAttribute("tabindex");
      element.removeAttribute("role");
      element.removeAttribute("aria-label");
    }
  }

  function fix(root) {
    root.querySelectorAll(SCROLLERS).forEach(markScrollable);
    // Copy buttons sit in unnamed <nav> elements: they are not page landmarks.
    root.querySelectorAll("nav.md-code__nav").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
    var search = document.querySelector(".md-search[role=dialog]");
    if (search) search.setAttribute("aria-label", "搜索");
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      fix(document);
    });
  }

  // Diagrams come as SVG in declarative shadow roots (hooks/mermaid.py); browsers older than
  // that feature (Chrome 111, Safari 16.4, Firefox 123) get them attached here.
  if (!HTMLTemplateElement.prototype.hasOwnProperty("shadowRootMode")) {
    document.querySelectorAll("div.mermaid > template[shadowrootmode]").forEach(function (template) {
      var root = template.parentNode.attachShadow({ mode: template.getAttribute("shadowrootmode") });
      root.appendChild(template.content);
      template.remove();
    });
  }

  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", schedule);
  schedule();
})();

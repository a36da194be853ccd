// The book's own behaviour on every page (mkdocs.yml extra_javascript, deferred after Material's bundle):
// the light/dark switch, accessibility touches for Material's widgets, and tooltips for citation
// marks and abbreviations.
(function () {
  "use strict";

  // Diagrams come as SVG in declarative shadow roots (hooks/mermaid.py); browsers older than
  // that feature (Chrome 111, Safari 16.4, Firefox 123) get them attached here.
  if (!HTMLTemplateElement.prototype.hasOwnProperty("shadowRootMode")) {
    document.querySelectorAll("div.mermaid > template[shadowrootmode]").forEach(function (template) {
      var root = template.parentNode.attachShadow({ mode: template.getAttribute("shadowrootmode") });
      root.appendChild(template.content);
      template.remove();
    });
  }

  // The light/dark switch (overrides/partials/palette.html; Material's palette component is not
  // mounted). The palette itself was set before the page was parsed (partials/javascripts/palette.html).
  var palette = document.querySelector("form[data-book-palette]");
  if (palette && window.bookPalette) {
    var options = Array.prototype.slice.call(palette.querySelectorAll("input[name=__palette]"));
    palette.addEventListener("change", function (event) {
      var index = options.indexOf(event.target);
      if (index < 0) return;
      // As Material does: no colour transitions while every colour of the page changes at once.
      document.body.setAttribute("data-md-color-switching", "");
      window.bookPalette(index, true);
      setTimeout(function () {
        document.body.removeAttribute("data-md-color-switching");
      });
    });
    palette.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var next = options[(options.findIndex(function (input) { return input.checked; }) + 1) % options.length];
      next.click();
      next.focus();
    });
  }

  // Regions that scroll sideways (long formulas, wide tables and diagrams) must be reachable by
  // keyboard, and say what they are. Their widths are read in a ResizeObserver callback, after the
  // browser has laid the page out anyway, so reading them never forces an extra layout.
  var SCROLLERS = ".katex-display, .md-typeset__scrollwrap, div.mermaid";

  function label(element) {
    var figure = element.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    if (caption) return caption.textContent.trim();
    if (element.matches(".katex-display")) return "公式";
    if (element.matches("div.mermaid")) return "图";
    return "表格";
  }

  function markScrollable(element, scrolls) {
    if (scrolls) {
      element.tabIndex = 0;
      element.setAttribute("role", "region");
      element.setAttribute("aria-label", label(element));
    } else if (element.hasAttribute("tabindex")) {
      element.removeAttribute("tabindex");
      element.removeAttribute("role");
      element.removeAttribute("aria-label");
    }
  }

  // Blocks after the twelfth are laid out only when they come near the screen (book.css,
  // content-visibility), and so are measured only then. Until then their regions, and their code
  // blocks (Material sets those up as they come into view: content.lazy), can take the keyboard's
  // focus: a reader tabbing down the page reaches them whether or not they turn out to scroll.
  var LATER = ".md-content__inner > :nth-child(n + 13)";
  function focusableUntilMeasured(element) {
    if (!element.hasAttribute("tabindex") && element.closest(LATER)) element.tabIndex = 0;
  }

  // All widths are read before any attribute is written: a write between two reads would make
  // the browser lay the page out again for the second read.
  var sizes = new ResizeObserver(function (entries) {
    var scrolls = entries.map(function (entry) {
      return entry.target.scrollWidth > entry.target.clientWidth + 1;
    });
    entries.forEach(function (entry, i) {
      markScrollable(entry.target, scrolls[i]);
    });
  });
  var observed = new WeakSet();

  function fix(root) {
    root.querySelectorAll(SCROLLERS).forEach(function (element) {
      if (!observed.has(element)) {
        observed.add(element);
        focusableUntilMeasured(element);
        sizes.observe(element);
      }
    });
    root.querySelectorAll(".highlight pre:not([id]) > code").forEach(focusableUntilMeasured);
    // Copy buttons sit in unnamed <nav> elements: they are not page landmarks.
    root.querySelectorAll("nav.md-code__nav").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
    var search = document.querySelector(".md-search[role=dialog]");
    if (search) search.setAttribute("aria-label", "搜索");
  }

  // Material wraps tables and adds copy buttons as it starts: look again after its changes.
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      fix(document);
    });
  }
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  schedule();

  // Tooltips. A citation mark previews its reference, an abbreviation shows its full name, on
  // hover, keyboard focus or a tap. One delegated listener serves the whole page: nothing is set
  // up per mark, which on a long chapter would cost the phone's main thread seconds at load.
  var TARGETS = "a.footnote-ref, abbr[title], abbr[data-title]";
  var tip = null;
  var current = null;

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "book-tooltip";
      tip.className = "book-tooltip md-typeset";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  function fill(target, box) {
    box.textContent = "";
    if (target.matches("abbr")) {
      // The browser would show its own tooltip over ours: keep the text in data-title instead.
      if (target.hasAttribute("title")) {
        target.setAttribute("data-title", target.getAttribute("title"));
        target.removeAttribute("title");
        target.setAttribute("aria-label", target.textContent + "：" + target.getAttribute("data-title"));
      }
      box.textContent = target.getAttribute("data-title");
      return true;
    }
    var note = document.getElementById(decodeURIComponent(target.hash.slice(1)));
    if (!note) return false;
    Array.prototype.forEach.call(note.childNodes, function (node) {
      box.appendChild(node.cloneNode(true));
    });
    box.querySelectorAll(".footnote-backref").forEach(function (link) {
      link.remove();
    });
    return true;
  }

  function show(target) {
    if (current === target) return;
    var box = tooltip();
    if (!fill(target, box)) return hide();
    current = target;
    target.setAttribute("aria-describedby", box.id);
    box.hidden = false;
    var rect = target.getBoundingClientRect();
    var width = box.offsetWidth;
    var left = Math.min(Math.max(8, rect.left + rect.width / 2 - width / 2), window.innerWidth - width - 8);
    box.style.left = left + window.scrollX + "px";
    box.style.top = rect.bottom + window.scrollY + 6 + "px";
  }

  function hide() {
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    if (tip) tip.hidden = true;
  }

  function targetOf(event) {
    return event.target instanceof Element ? event.target.closest(TARGETS) : null;
  }

  document.addEventListener("mouseover", function (event) {
    var target = targetOf(event);
    if (target) show(target);
    else if (current && !(tip && tip.contains(event.target))) hide();
  });
  document.addEventListener("focusin", function (event) {
    var target = targetOf(event);
    if (target) show(target);
    else hide();
  });
  document.addEventListener("click", function (event) {
    var target = targetOf(event);
    if (target && target.matches("abbr")) show(target);
    else if (!(tip && tip.contains(event.target))) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  window.addEventListener("scroll", function () {
    if (current && !current.matches(":hover, :focus")) hide();
  }, { passive: true });
})();

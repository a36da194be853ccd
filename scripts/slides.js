// The decks' start (scripts/slides.py): reveal.js with keyboard and touch navigation, a slide counter,
// the overview (Esc or O), speaker notes (S), and on phones the slides in the page's own width.
(function () {
  const root = document.documentElement;
  const phone = window.matchMedia("(max-width: 700px)").matches && !/print-pdf/.test(location.search);
  if (phone) root.classList.add("deck-phone");

  // Diagrams no taller than the room a slide leaves them
  const fitDiagrams = () => {
    for (const figure of document.querySelectorAll(".reveal figure.diagram")) {
      const hosts = figure.querySelectorAll("div.mermaid");
      for (const host of hosts) {
        const svg = host.shadowRoot ? host.shadowRoot.querySelector("svg") : host.querySelector("svg");
        if (!svg) continue;
        host.style.maxWidth = phone ? "100%" : Math.floor(96 / hosts.length) + "%";
        // A chart drawn with width="100%" has no size of its own in a flex box: its viewBox gives it one
        const relative = !/^[\d.]+$/.test(svg.getAttribute("width") || "");
        const box = svg.viewBox && svg.viewBox.baseVal;
        const width = relative && box && box.width ? box.width + "px" : "auto";
        if (relative) host.style.width = "100%";
        Object.assign(svg.style, { maxWidth: "100%", maxHeight: phone ? "60vh" : "500px", height: "auto", width });
      }
    }
  };

  // A slide whose text runs past the slide's height gets a smaller font until it fits.
  const fitText = (slide) => {
    if (phone || !slide || slide.dataset.fitted) return;
    slide.dataset.fitted = "1";
    let size = 100;
    while (slide.scrollHeight > 720 && size > 55) {
      size -= 5;
      slide.style.fontSize = size + "%";
    }
  };

  const toggle = document.querySelector(".theme-toggle");
  const switchTheme = () => {
    const dark = root.classList.contains("theme-dark") ||
      (!root.classList.contains("theme-light") && window.matchMedia("(prefers-color-scheme: dark)").matches);
    root.classList.toggle("theme-dark", !dark);
    root.classList.toggle("theme-light", dark);
  };
  toggle.addEventListener("click", switchTheme);

  fitDiagrams();
  Reveal.initialize({
    width: 1280,
    height: 720,
    margin: 0.05,
    hash: true,
    controls: true,
    progress: true,
    slideNumber: "c/t",
    overview: true,
    touch: true,
    keyboard: { 68: switchTheme },
    center: false,
    transition: "slide",
    disableLayout: phone,
    scrollActivationWidth: null,
    pdfSeparateFragments: false,
    plugins: [RevealNotes],
  }).then(() => {
    if (!Reveal.isPrintView()) {
      fitText(Reveal.getCurrentSlide());
      Reveal.on("slidechanged", (event) => fitText(event.currentSlide));
      root.classList.add("deck-ready");
      return;
    }
    // The print view lays the slides out into pages after "ready", and says so with "pdf-ready"; it
    // appends the pages and sends the event in one step, so pages already there mean it was sent.
    const printed = () => {
      document.querySelectorAll(".reveal .slides section").forEach(fitText);
      root.classList.add("deck-ready");
    };
    if (document.querySelector(".reveal .slides .pdf-page")) printed();
    else Reveal.on("pdf-ready", printed);
  });
})();

// Loaded (deferred, after mermaid.min.js) only on pages with a diagram: see overrides/main.html.
// Material calls mermaid.initialize() itself, with securityLevel left at "strict", which turns
// `click` links off; flowcharts would also shrink to the column. Adjust both, keep the rest.
(function () {
  "use strict";
  var initialize = mermaid.initialize.bind(mermaid);
  mermaid.initialize = function (config) {
    return initialize(Object.assign({}, config, {
      securityLevel: "loose",
      flowchart: Object.assign({}, config.flowchart, { useMaxWidth: false })
    }));
  };
})();

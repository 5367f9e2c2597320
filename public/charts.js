// Draws the charts the server described: every element with a `data-echarts` option (JSON,
// built with charming) becomes an ECharts chart in the current theme's colours, once it comes
// near the viewport. ECharts is loaded for the first chart drawn, never before, so a page
// whose charts nobody scrolls to never pays for it. Charts follow the theme (the
// `data-theme` attribute or the system's colour scheme), their element's size and their
// option when the page changes it; they are disposed with their element.
(() => {
  "use strict";
  const SELECTOR = "[data-echarts]";
  const charts = new Map();
  let library;

  function loadLibrary() {
    library ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/vendor/echarts/echarts.min.js";
      script.async = true;
      script.onload = () => resolve(window.echarts);
      script.onerror = () => reject(new Error("ECharts could not be loaded"));
      document.head.appendChild(script);
    });
    return library;
  }

  // The tokens use light-dark(), which only a computed colour resolves: read them through a
  // probe element.
  function token(probe, name, fallback) {
    probe.style.color = fallback;
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color || fallback;
  }

  function themed(option) {
    const probe = document.createElement("span");
    probe.hidden = true;
    document.documentElement.appendChild(probe); // outside <body>, which hydration owns
    const text = token(probe, "--text", "#4c4f69");
    const muted = token(probe, "--text-muted", "#6c6f85");
    const border = token(probe, "--border", "#ccd0da");
    const axis = {
      axisLabel: { color: muted },
      axisLine: { lineStyle: { color: border } },
      splitLine: { lineStyle: { color: border, opacity: 0.6 } },
    };
    // charming writes one axis as an object and several as an array.
    const withAxis = (axes) => {
      if (axes === undefined) return undefined;
      return Array.isArray(axes) ? axes.map((each) => ({ ...axis, ...each })) : { ...axis, ...axes };
    };
    const result = {
      ...option,
      color: [1, 2, 3, 4, 5, 6].map((n) => token(probe, `--chart-${n}`, "#ea76cb")),
      backgroundColor: "transparent",
      // A real font list, not "inherit": ECharts measures labels with it.
      textStyle: { color: text, fontFamily: getComputedStyle(document.body).fontFamily },
      animation: !matchMedia("(prefers-reduced-motion: reduce)").matches,
      xAxis: withAxis(option.xAxis),
      yAxis: withAxis(option.yAxis),
      tooltip: option.tooltip && {
        ...option.tooltip,
        backgroundColor: token(probe, "--surface-raised", "#ffffff"),
        borderColor: border,
        textStyle: { color: text },
      },
    };
    probe.remove();
    return result;
  }

  function draw(element) {
    let option;
    try {
      option = JSON.parse(element.dataset.echarts);
    } catch {
      return;
    }
    loadLibrary()
      .then((echarts) => {
        if (!element.isConnected) return;
        let chart = charts.get(element);
        if (!chart) {
          chart = echarts.init(element, null, { renderer: "svg" });
          charts.set(element, chart);
        }
        chart.setOption(themed(option), true);
        element.dataset.echartsDrawn = "true";
      })
      .catch(() => {
        element.dataset.echartsDrawn = "failed";
      });
  }

  const nearViewport = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          nearViewport.unobserve(entry.target);
          draw(entry.target);
        }
      }
    },
    { rootMargin: "200px" },
  );

  // A chart already drawn is redrawn at once (its option changed); others wait to be seen.
  function drawWhenSeen(element) {
    if (charts.has(element)) draw(element);
    else nearViewport.observe(element);
  }

  function drawAll(root) {
    if (root.matches?.(SELECTOR)) drawWhenSeen(root);
    root.querySelectorAll?.(SELECTOR).forEach(drawWhenSeen);
  }

  function forget() {
    for (const [element, chart] of charts) {
      if (!element.isConnected) {
        chart.dispose();
        charts.delete(element);
      }
    }
  }

  function redrawAll() {
    for (const element of charts.keys()) draw(element);
  }

  function start() {
    drawAll(document.body);
    new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === "attributes") {
          drawWhenSeen(change.target);
        } else {
          change.addedNodes.forEach(drawAll);
        }
      }
      forget();
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-echarts"] });
    new MutationObserver(redrawAll).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redrawAll);
    addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  }

  // Drawing adds elements inside the page, so it waits until the app has hydrated (the root
  // gets `data-hydrated`), or a few seconds when hydration never comes (no WebAssembly).
  function afterHydration() {
    const app = document.getElementById("app");
    if (!app || app.dataset.hydrated) return start();
    let started = false;
    const once = () => {
      if (started) return;
      started = true;
      watcher.disconnect();
      start();
    };
    const watcher = new MutationObserver(() => app.dataset.hydrated && once());
    watcher.observe(app, { attributes: true, attributeFilter: ["data-hydrated"] });
    setTimeout(once, 5000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", afterHydration);
  else afterHydration();
})();

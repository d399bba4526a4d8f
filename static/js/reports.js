// Draws the report's charts from the JSON the page carries (json_script); each chart has its table beside it.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("report-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var L = data.labels;
    var blue = "#1f5f8b", green = "#3fb76f", amber = "#f0a500", red = "#d9534f";
    var common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } };

    function chart(id, config) {
      var canvas = document.getElementById(id);
      if (canvas) new window.Chart(canvas, config);
    }
    chart("chart-funnel", {
      type: "bar",
      data: { labels: [L.registered, L.attended, L.no_shows, L.cancellations],
              datasets: [{ label: L.registered, data: data.funnel, backgroundColor: [blue, green, amber, red] }] },
      options: Object.assign({}, common, { indexAxis: "y", plugins: { legend: { display: false } } })
    });
    chart("chart-trend", {
      type: "line",
      data: { labels: data.months.labels, datasets: [
        { label: L.registered, data: data.months.registrants, borderColor: blue, backgroundColor: blue },
        { label: L.attended, data: data.months.attendees, borderColor: green, backgroundColor: green }
      ] },
      options: common
    });
    chart("chart-types", {
      type: "bar",
      data: { labels: data.types.labels, datasets: [
        { label: L.registered, data: data.types.registrants, backgroundColor: blue },
        { label: L.attended, data: data.types.attendees, backgroundColor: green }
      ] },
      options: common
    });
    chart("chart-portals", {
      type: "bar",
      data: { labels: data.portals.labels, datasets: [
        { label: L.registered, data: data.portals.registrants, backgroundColor: blue },
        { label: L.attended, data: data.portals.attendees, backgroundColor: green }
      ] },
      options: common
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

/* Outcome knowledge base: filter a list of outcomes by country, objective, type of change,
   year and significance. The form is built from the items' data-* attributes and the JSON
   of <script class="okb-facet-data"> (names, text). Without JavaScript: full list, no form. */
(function () {
  "use strict";
  var FACETS = ["country", "objective", "change_type", "year", "significance"];
  var ALL = "*";

  function has(item, facet, value) {
    var own = item.getAttribute("data-" + facet) || "";
    if (facet !== "change_type" || value === "") return own === value;
    return (" " + own + " ").indexOf(" " + value + " ") >= 0;
  }

  function values(item, facet) {
    var own = item.getAttribute("data-" + facet) || "";
    return facet === "change_type" && own ? own.split(" ") : [own];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function setUp(data) {
    if (data.okbReady) return;
    data.okbReady = true;
    var list = data.nextElementSibling;
    while (list && !list.classList.contains("okb-list")) list = list.nextElementSibling;
    if (!list) return;
    var spec;
    try { spec = JSON.parse(data.textContent); } catch (e) { return; }
    var text = spec.labels, items = [].slice.call(list.querySelectorAll(".okb-item"));
    var params = new URLSearchParams(location.search), selects = {}, used = [];
    var form = el("form", "okb-filter");
    form.setAttribute("aria-label", text.form);

    FACETS.forEach(function (facet) {
      var pairs = spec.values[facet] || [];
      if (pairs.length < 2) return;  // one value: nothing to choose
      var label = el("label", "", text[facet]), select = el("select");
      select.name = facet;
      select.appendChild(el("option", "", text["all_" + facet])).value = ALL;
      pairs.forEach(function (pair) {
        var option = el("option", "", pair[1]);
        option.value = pair[0];
        option.okbName = pair[1];
        select.appendChild(option);
      });
      var wanted = params.get(facet);
      select.value = wanted === null ? ALL : wanted;
      if (select.selectedIndex < 0) select.value = ALL;
      select.addEventListener("change", update);
      label.appendChild(select);
      form.appendChild(label);
      selects[facet] = select;
      used.push(facet);
    });
    if (!used.length) return;

    var reset = el("button", "md-button okb-reset", text.reset);
    reset.type = "button";
    reset.addEventListener("click", function () {
      used.forEach(function (facet) { selects[facet].value = ALL; });
      update();
    });
    form.appendChild(reset);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var status = el("p", "okb-shown");
    status.setAttribute("role", "status");
    list.parentNode.insertBefore(form, list);
    list.parentNode.insertBefore(status, list);

    function matches(item, skip) {
      return used.every(function (facet) {
        var value = selects[facet].value;
        return facet === skip || value === ALL || has(item, facet, value);
      });
    }

    function update() {
      var shown = 0, active = false;
      items.forEach(function (item) {
        var show = matches(item);
        item.hidden = !show;
        if (show) shown++;
      });
      // Each choice shows how many outcomes it would give with the other choices kept.
      used.forEach(function (facet) {
        var select = selects[facet], counts = {};
        items.forEach(function (item) {
          if (matches(item, facet)) values(item, facet).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
        });
        [].forEach.call(select.options, function (option) {
          if (option.value === ALL) return;
          var n = counts[option.value] || 0;
          option.textContent = option.okbName + " (" + n + ")";
          option.disabled = n === 0 && !option.selected;
        });
        if (select.value !== ALL) {
          active = true;
          params.set(facet, select.value);
        } else params["delete"](facet);
      });
      var one = shown === 1 || (shown === 0 && text.zero_one);
      status.textContent = text[one ? "one" : "many"].replace("{n}", shown).replace("{m}", items.length);
      reset.hidden = !active;
      if (window.history && history.replaceState) {
        var query = params.toString();
        history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    update();
  }

  function run() {
    [].forEach.call(document.querySelectorAll("script.okb-facet-data"), setUp);
  }

  // Material's instant navigation swaps pages without a load: document$ tells us.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();

/* Outcome knowledge base: filter a list of outcomes by country, objective, type of change,
   year and significance. The page holds the form (templates/listing.md.j2), hidden where
   scripting is off, and its text in <script class="okb-facet-data">; this script makes it work.

   A short listing is all on its page: the filter hides the items that do not match. A long
   one is in pages of a hundred (generator/pages/paging.py): when the reader first chooses a value,
   the script fetches the list of every outcome (fragments/filter-list.json, built from the
   published outcomes only) and shows the matching ones of the whole listing, a page's worth
   at a time, in place of the page's own list and its page links. Choosing nothing again
   brings the page back as it was built. Without JavaScript: the page and its page links. */
(function () {
  "use strict";
  var ALL = "*";
  // A row of filter-list.json: address, title, meta line, significance, then the facets' values.
  var FIRST_FACET = 4;

  function valuesOf(facet, value) {
    return facet === "change_type" && value ? value.split(" ") : [value];
  }

  // Counts as the page's language writes them, as the generator's Babel `number` filter does
  // (generator/pages/language_forms.py): "1,234" in English, "1 234" (U+202F) in French.
  function numberForm(doc) {
    try {
      var format = new Intl.NumberFormat(doc.documentElement.lang || undefined);
      return function (n) { return format.format(n); };
    } catch (e) {  // no Intl, or a language tag it does not know
      return String;
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function nextOf(node, selector) {
    for (var next = node.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.matches(selector)) return next;
    }
    return null;
  }

  // An outcome as the filter sees it: its values by facet, and its list item.
  function recordOfItem(item, facets) {
    var values = {};
    facets.forEach(function (facet) { values[facet] = valuesOf(facet, item.getAttribute("data-" + facet) || ""); });
    return { values: values, node: item };
  }

  function recordsOfList(list, spec, template) {
    var columns = list.facets, rows = list.items;
    var chosen = spec.list ? list.lists[spec.list] : null;
    if (spec.list && !chosen) throw new Error("no list " + spec.list);
    return (chosen || rows.map(function (_, n) { return n; })).map(function (n) {
      var row = rows[n], values = {}, data = {};
      columns.forEach(function (facet, column) {
        data[facet] = row[FIRST_FACET + column];
        values[facet] = valuesOf(facet, row[FIRST_FACET + column]);
      });
      return { values: values, node: null, make: function () { return itemFrom(template, spec.root, row, data); } };
    });
  }

  // A list item like the page's own (a copy of its first), filled in as text, never as markup.
  function itemFrom(template, root, row, data) {
    var item = template.cloneNode(true);
    Object.keys(data).forEach(function (facet) { item.setAttribute("data-" + facet, data[facet]); });
    var link = item.querySelector("a"), meta = item.querySelector(".okb-meta");
    var significance = item.querySelector(".okb-significance");
    link.setAttribute("href", root + row[0] || "./");
    link.textContent = row[1];
    if (meta) meta.textContent = row[2];
    // The significance's line under the link: the copied item may have one or not.
    if (significance) {
      item.removeChild(significance.previousSibling);
      item.removeChild(significance);
    }
    if (row[3]) {
      significance = el("span", "okb-significance", row[3]);
      link.after(document.createElement("br"), significance);
    }
    item.hidden = false;
    return item;
  }

  function setUp(data) {
    if (data.okbReady) return;
    data.okbReady = true;
    var spec;
    try { spec = JSON.parse(data.textContent); } catch (e) { return; }
    var form = nextOf(data, "form.okb-filter"), status = nextOf(data, ".okb-shown"), list = nextOf(data, "ul.okb-list");
    if (!form || !status || !list) return;
    var pager = nextOf(list, "nav.okb-pager");
    var text = spec.labels, number = numberForm(data.ownerDocument), selects = [].slice.call(form.querySelectorAll("select"));
    var facets = selects.map(function (select) { return select.name; });
    var reset = form.querySelector(".okb-reset");
    var params = new URLSearchParams(location.search);
    var pageItems = [].slice.call(list.querySelectorAll(".okb-item"));
    var pageRecords = pageItems.map(function (item) { return recordOfItem(item, facets); });
    var template = pageItems[0];
    // Paged listing: every outcome of it, once fetched; null before; pageRecords if that failed.
    var allRecords = null, loading = null, failed = false;
    var results = null, more = null, matches = [], rendered = 0;

    selects.forEach(function (select) {
      [].forEach.call(select.options, function (option) { option.okbName = option.getAttribute("data-name"); });
      var wanted = params.get(select.name);
      if (wanted !== null) select.value = wanted;
      if (select.selectedIndex < 0) select.value = ALL;
      select.addEventListener("change", update);
    });
    // A shared link that sets one of the filters under "More filters" shows them open.
    var moreFilters = form.querySelector(".okb-more-filters");
    if (moreFilters && selects.some(function (select) { return select.value !== ALL && moreFilters.contains(select); })) {
      moreFilters.open = true;
    }
    reset.addEventListener("click", function () {
      selects.forEach(function (select) { select.value = ALL; });
      update();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    if (spec.source) {
      // Fetch as soon as the reader reaches for the form: the list is often there by the choice.
      form.addEventListener("focusin", load);
      form.addEventListener("pointerdown", load);
    }

    function load() {
      if (!loading) {
        loading = fetch(spec.source, { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (all) { allRecords = recordsOfList(all, spec, template); })
          .catch(function () { failed = true; allRecords = pageRecords; });
      }
      return loading;
    }

    function active() {
      return selects.some(function (select) { return select.value !== ALL; });
    }

    function matching(record, skip) {
      return selects.every(function (select) {
        var value = select.value;
        return select.name === skip || value === ALL || record.values[select.name].indexOf(value) >= 0;
      });
    }

    function say(shown, total) {
      var one = shown === 1 || (shown === 0 && text.zero_one);
      status.textContent = text[one ? "one" : "many"].replace("{n}", number(shown)).replace("{m}", number(total))
        + (failed ? " " + text.failed : "");
    }

    function keepInAddress() {
      selects.forEach(function (select) {
        if (select.value !== ALL) params.set(select.name, select.value);
        else params["delete"](select.name);
      });
      if (window.history && history.replaceState) {
        var query = params.toString();
        history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
      }
    }

    // Each choice shows how many outcomes it would give with the other choices kept.
    function countChoices(records) {
      selects.forEach(function (select) {
        var counts = {};
        records.forEach(function (record) {
          if (matching(record, select.name)) {
            record.values[select.name].forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
          }
        });
        [].forEach.call(select.options, function (option) {
          if (option.value === ALL) return;
          var n = counts[option.value] || 0;
          option.textContent = option.okbName + " (" + number(n) + ")";
          option.disabled = n === 0 && !option.selected;
        });
      });
    }

    function showMore() {
      var batch = document.createDocumentFragment(), end = Math.min(matches.length, rendered + spec.page_size);
      for (; rendered < end; rendered++) batch.appendChild(matches[rendered].make());
      results.appendChild(batch);
      var left = matches.length - rendered;
      more.hidden = left === 0;
      more.textContent = text.more.replace("{n}", number(Math.min(left, spec.page_size)));
    }

    // The matches of the whole listing, in place of the page's own list and page links.
    function showResults(show) {
      if (!results) {
        results = el("ul", list.className + " okb-results");
        more = el("button", "md-button okb-more");
        more.type = "button";
        more.addEventListener("click", showMore);
        list.parentNode.insertBefore(results, list.nextSibling);
        results.parentNode.insertBefore(more, results.nextSibling);
      }
      list.hidden = show;
      if (pager) pager.hidden = show;
      results.hidden = more.hidden = !show;
      if (!show) return;
      results.textContent = "";
      rendered = 0;
      showMore();
    }

    function update() {
      reset.hidden = !active();
      keepInAddress();
      if (spec.source && !failed) {
        if (!active()) {  // the page as it was built
          if (results) showResults(false);
          if (allRecords) countChoices(allRecords);
          say(pageRecords.length, spec.total);
          return;
        }
        if (!allRecords) {
          status.textContent = text.loading.replace("{m}", number(spec.total));
          load().then(update);
          return;
        }
        matches = allRecords.filter(function (record) { return matching(record); });
        countChoices(allRecords);
        showResults(true);
        say(matches.length, spec.total);
        return;
      }
      if (results) showResults(false);
      var shown = 0;
      pageRecords.forEach(function (record) {
        var show = matching(record);
        record.node.hidden = !show;
        if (show) shown++;
      });
      countChoices(pageRecords);
      say(shown, failed ? spec.total : pageRecords.length);
    }

    if (active()) update();  // a shared link with choices (or one made before this ran)
    form.setAttribute("data-okb-ready", "");  // for tests: the form answers from now on
  }

  function run() {
    [].forEach.call(document.querySelectorAll("script.okb-facet-data"), setUp);
  }

  // Material's instant navigation swaps pages without a load: document$ tells us.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();

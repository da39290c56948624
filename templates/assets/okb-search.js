// Site search with Pagefind, in Material's own search box and result list.
//
// Material's built-in search downloads and indexes the whole site before the first
// result; Pagefind (index built by generator/publish/search.py) fetches only the few index
// chunks a query needs. This script adds Material's search markup (same classes, so
// Material's CSS styles it; the few additions are in assets/okb.css) to the header and
// answers queries from pagefind/pagefind.js. Filters (country, objective, type of
// change, year) come from data-pagefind-filter on fragment pages; their names come from
// the index. The interface text is data: the generator writes the search_ labels of
// templates/labels.yml, in the site's language, into STRINGS (generator/publish/search.py,
// search_script()).
//
// When Pagefind's files are fetched (bench/search_speed.py, Lighthouse): never while
// the page paints. They are fetched when the browser is idle after the load event, or
// as soon as the reader shows they are about to search (pointer over the box or the
// search button, a touch on the button, focus, the s, f or / key), whichever comes
// first; then all at once (warm()), not as Pagefind's own chain of requests. With Data
// Saver on, only when the reader uses the box. This file is loaded in <head>
// (templates/theme/main.html) so that the box goes into the header as soon as the
// header is parsed and shows with the first paint, before Material's bundle has run.
// The first screen asks for FIRST result records and shows each as soon as it arrives.
(() => {
  // The <link rel="alternate" hreflang> of this page's head name its twins in the site's
  // other languages, for search engines, which read them in the HTML as served. Material's
  // bundle takes every such link for a language's home page and fetches sitemap.xml beside
  // it (a 404 beside each twin on every page view, and the public address's host wherever the
  // site is served from another one). Taken out of the running page before that bundle
  // runs, they cost nothing; the header's switch (partials/alternate.html) needs none of them.
  for (const link of document.querySelectorAll("link[rel=alternate][hreflang]")) link.remove();

  const script = document.currentScript;
  if (!script) return;
  const root = new URL("../", script.src); // this file is assets/okb-search.js
  const pagefindUrl = (path) => new URL(`pagefind/${path}`, root).href;
  const lang = (document.documentElement.lang || "en").toLowerCase();
  const saveData = Boolean(navigator.connection && navigator.connection.saveData);

  // Pagefind starts as a chain of requests, each waiting for the one before: pagefind.js,
  // then its worker, then pagefind-entry.json (with a ?ts= tag), then the
  // metadata and the wasm. warm() asks for them all at once; Pagefind's own requests then
  // find them in the HTTP cache (same URLs: the entry's tag, below, is passed to Pagefind
  // as metaCacheTag). The index's languages (each one's metadata file and wasm) are
  // written in when the site is indexed (generator/publish/search.py), so that the metadata need
  // not wait for the entry. Still null: the site was not indexed (a `mkdocs serve`
  // preview), and the box says so instead of asking for files that are not there.
  const INDEX_LANGUAGES = null /* index languages: written by generator/publish/search.py */;
  const STRINGS = null /* search labels: written by the generator */;
  const indexed = Boolean(INDEX_LANGUAGES);
  // Pagefind's metaCacheTag: the entry is asked for as pagefind-entry.json?ts=<tag>. Its
  // own default is the time, so every page load fetched the entry again, uncached. The
  // metadata files' names are hashes of the index, so they make a tag that changes with
  // the index and only then: a later page (or visit) finds the entry, and with it every
  // start-up file, in the browser's cache.
  const tag = indexed
    ? Object.values(INDEX_LANGUAGES).map((index) => index.hash).sort().join(".")
    : String(Date.now());
  let warmed = false;
  function warm(priority) {
    if (warmed || !indexed) return;
    warmed = true;
    const drain = (path) =>
      fetch(pagefindUrl(path), { priority })
        .then((response) => (response.ok ? response.arrayBuffer() : null))
        .catch(() => null);
    // Pagefind's choice: the page's language, its primary subtag, else the biggest index.
    const biggest = Object.values(INDEX_LANGUAGES).sort((a, b) => b.page_count - a.page_count)[0];
    const chosen = INDEX_LANGUAGES[lang] || INDEX_LANGUAGES[lang.split("-")[0]] || biggest;
    drain("pagefind.js");
    drain("pagefind-worker.js");
    drain(`pagefind-entry.json?ts=${tag}`); // with the tag Pagefind will use
    if (chosen) {
      drain(`pagefind.${chosen.hash}.pf_meta`);
      drain(`wasm.${chosen.wasm || "unknown"}.pagefind`);
    }
  }

  // The interface text: a label, its {placeholders} filled in. Without the generator's
  // labels (the raw template) the key shows, so a missing step is seen, not guessed.
  const T = STRINGS || {};
  const text = (key, parts = {}) =>
    String(T[key] ?? key).replace(/\{(\w+)\}/g, (all, name) => (name in parts ? String(parts[name]) : all));

  // This script runs in <head> (templates/theme/main.html): the box goes into Material's
  // header as soon as the header is parsed, so that it shows with the page's first paint.
  // (mount() does nothing once the box is there.)
  const headerParsed = () => Boolean(document.querySelector(".md-header")?.nextElementSibling);
  if (document.readyState !== "loading" || headerParsed()) mount();
  else {
    const observer = new MutationObserver(() => {
      if (!headerParsed()) return;
      observer.disconnect();
      mount();
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", () => { observer.disconnect(); mount(); }, { once: true });
  }

  // After the load event, when the browser is idle: nothing of search competes with the
  // page's own files and first paint. (The marks of a searched word wait for it too.)
  function afterLoad(callback) {
    const idle = window.requestIdleCallback || ((next) => setTimeout(next, 1));
    const whenIdle = () => idle(callback, { timeout: 2000 });
    if (document.readyState === "complete") whenIdle();
    else window.addEventListener("load", whenIdle, { once: true });
  }

  function mount() {
    const header = document.querySelector(".md-header__inner");
    const toggle = document.getElementById("__search");
    if (!header || !toggle || document.querySelector(".md-search")) return;
    // Material's bundle does this first thing; this script runs before it.
    document.documentElement.classList.replace("no-js", "js");
    const FIRST = 5; // records fetched for the first screen
    const MORE = 10; // records fetched per "show more"
    const DEBOUNCE_MS = 120; // a search per keystroke would queue costly one-letter prefix searches

    const svg = (d) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${d}"/></svg>`;
    const MAGNIFY = svg("M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5");
    const BACK = svg("M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z");
    const CLOSE = svg("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z");

    const button = document.createElement("label");
    button.className = "md-header__button md-icon";
    button.htmlFor = "__search";
    button.title = text("search_label");
    button.innerHTML = MAGNIFY;
    const box = document.createElement("div");
    box.className = "md-search okb-search";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", text("search_dialog"));
    box.innerHTML = `
      <label class="md-search__overlay" for="__search"></label>
      <div class="md-search__inner" role="search">
        <form class="md-search__form">
          <input type="text" class="md-search__input" name="query" autocapitalize="off" autocorrect="off"
            autocomplete="off" spellcheck="false" required>
          <label class="md-search__icon md-icon" for="__search">${MAGNIFY}${BACK}</label>
          <nav class="md-search__options">
            <button type="reset" class="md-search__icon md-icon" tabindex="-1">${CLOSE}</button>
          </nav>
        </form>
        <div class="md-search__output">
          <div class="md-search__scrollwrap" tabindex="0">
            <div class="md-search-result">
              <div class="md-search-result__meta" role="status"></div>
              <div class="okb-search-filters" role="group" hidden></div>
              <ol class="md-search-result__list" role="presentation"></ol>
            </div>
          </div>
        </div>
      </div>`;
    const form = box.querySelector("form");
    const input = box.querySelector("input");
    const reset = box.querySelector("button[type=reset]");
    const meta = box.querySelector(".md-search-result__meta");
    const filterBar = box.querySelector(".okb-search-filters");
    const list = box.querySelector(".md-search-result__list");
    input.placeholder = text("search_label");
    input.setAttribute("aria-label", text("search_label"));
    box.querySelector(".md-search__options").setAttribute("aria-label", text("search_label"));
    box.querySelector(".md-search__scrollwrap").setAttribute("aria-label", text("search_results"));
    reset.title = text("search_clear");
    reset.setAttribute("aria-label", text("search_clear"));
    filterBar.setAttribute("aria-label", text("search_filters"));
    // A preview (`mkdocs serve`) has no index: say so at once, and fetch nothing.
    meta.textContent = indexed ? text("search_ready") : text("search_preview");
    const anchor = header.querySelector(".md-header__source");
    header.insertBefore(button, anchor);
    header.insertBefore(box, anchor);

    let pagefind = null;
    let latest = 0;

    // Starts Pagefind (once); "high" when the reader is about to search and waits for it.
    const load = (priority = "high") => {
      if (!indexed) return Promise.reject(new Error("not indexed"));
      if (pagefind) return pagefind;
      if (!input.value) meta.textContent = text("search_loading");
      warm(priority);
      pagefind = import(pagefindUrl("pagefind.js")).then(async (pf) => {
        await pf.options({ baseUrl: root.pathname, excerptLength: 24, metaCacheTag: tag });
        await pf.init();
        if (!input.value && !latest) meta.textContent = text("search_ready");
        return pf;
      });
      pagefind.catch(() => {
        pagefind = null; // the next use tries again
        meta.textContent = text("search_error");
      });
      return pagefind;
    };
    const intent = () => { load().catch(() => {}); };

    // One fetch per result record, however often it is asked for.
    const records = new WeakMap();
    const record = (result) => {
      if (!records.has(result)) records.set(result, result.data());
      return records.get(result);
    };

    // Normalized as Pagefind normalizes a query: lower case, no accents, no punctuation.
    const normalize = (value) =>
      value.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase()
        .replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "");

    // Pagefind matches a query word to the indexed words that start with it; when there
    // are none, it falls back to the longest indexed word the query word starts with,
    // which can be "a" for "atlas" or "apple". Every page then matches that word the
    // same way, so the best result tells: a query word is really found if a word it
    // matched there starts with it (exact or typed prefix, accents ignored), or else if
    // Pagefind has that very word (quoted search: its stem exactly, e.g. "communities"
    // for "community"). Otherwise the query finds nothing.
    async function reallyFound(pf, term, best) {
      if (/^\s*".+"\s*$/.test(term)) return true; // quoted: Pagefind searches exactly
      const terms = normalize(term).split(/\s+/).filter(Boolean);
      if (!terms.length) return true;
      const data = await record(best);
      const content = data.raw_content ?? data.content ?? "";
      const words = content.includes("\u200B") ? content.split("\u200B") : content.split(/[\r\n\s]+/g);
      const matched = [...new Set(data.locations.map((at) => normalize(words[at] ?? "")))];
      for (const word of terms) {
        if (matched.some((m) => m.startsWith(word))) continue;
        const exact = await pf.search(`"${word}"`);
        if (!exact.results.length) return false;
      }
      return true;
    }

    // Filters: one select per filter of the index, listing every value it has (fetched
    // once, after the first results), each with its count for the current query.
    let allFilters = null; // name → value → pages, over the whole index
    let filtersLoading = null;
    const loadFilters = (pf) => {
      filtersLoading ??= pf.filters().then((filters) => {
        allFilters = filters;
        showFilters(filters);
      });
      return filtersLoading;
    };

    // The "all" text of a filter: its own label where the generator knows the filter (so
    // French can say "Pays : tous" but "Année : toutes"), else the general one.
    const allText = (name) => {
      const facet = T.facets?.[name];
      return facet && T[`search_all_${facet}`] ? text(`search_all_${facet}`) : text("search_all", { name });
    };

    // In the field table's order (T.filter_order), the same in every language: Pagefind
    // gives them alphabetically by their names, which differ from one language to another.
    const filterPlace = (name) => {
      const place = (T.filter_order || []).indexOf(name);
      return place < 0 ? Infinity : place;
    };

    function showFilters(filters) {
      const names = Object.keys(filters).sort((a, b) => filterPlace(a) - filterPlace(b) || a.localeCompare(b));
      for (const [name, values] of names.map((name) => [name, filters[name]])) {
        const select = document.createElement("select");
        select.name = name;
        select.setAttribute("aria-label", name);
        select.add(new Option(allText(name), ""));
        for (const value of Object.keys(values).sort()) select.add(new Option(value, value));
        select.addEventListener("change", () => {
          select.classList.toggle("okb-search-filter--set", Boolean(select.value));
          search(true);
        });
        filterBar.append(select);
      }
      filterBar.hidden = !filterBar.childElementCount;
    }

    // Each value's count is what choosing it would give: the query, the values chosen in
    // the other filters, and this one. (Pagefind's own counts apply every chosen value,
    // this filter's too, so they would show 0 for its other values.) A value that would
    // give nothing shows 0 and cannot be chosen; a chosen value stays choosable.
    function showCounts(counts) {
      for (const select of filterBar.querySelectorAll("select")) {
        for (const option of [...select.options].slice(1)) {
          const n = counts?.[select.name]?.[option.value] ?? 0;
          // The chosen value also names its filter: the select then reads "Year: 2023 (2)".
          option.text =
            option.value === select.value
              ? text("search_chosen", { name: select.name, value: option.value, count: n })
              : `${option.value} (${n})`;
          option.disabled = n === 0 && option.value !== select.value;
        }
      }
    }

    async function countsFor(pf, term, filters, found) {
      const counts = {};
      for (const name of Object.keys(allFilters)) {
        if (!(name in filters)) {
          counts[name] = found.filters?.[name];
          continue;
        }
        const others = { ...filters };
        delete others[name];
        if (!term && !Object.keys(others).length) counts[name] = allFilters[name];
        else counts[name] = (await pf.search(term || null, { filters: others })).filters?.[name];
      }
      return counts;
    }

    const chosenFilters = () => {
      const chosen = {};
      for (const select of filterBar.querySelectorAll("select")) if (select.value) chosen[select.name] = select.value;
      return chosen;
    };

    function item(data, term) {
      const li = document.createElement("li");
      li.className = "md-search-result__item";
      li.innerHTML = `<a class="md-search-result__link" tabindex="-1"><article class="md-search-result__article md-typeset"><div class="md-search-result__icon md-icon"></div><h1></h1><p class="okb-search-excerpt"></p></article></a>`;
      li.querySelector("a").href = term ? `${data.url}?h=${encodeURIComponent(term)}` : data.url;
      const title = li.querySelector("h1");
      const excerpt = li.querySelector("p");
      title.textContent = data.meta.title || data.url;
      excerpt.innerHTML = data.excerpt; // Pagefind's excerpt: escaped text with <mark>
      // An outcome written in another language than the page's (the record's meta, from
      // generator/publish/search.py): its text gets that lang, and its title the mark lists
      // give it (templates/_macros.md.j2, language_mark): "FR", read as "En français".
      const own = data.meta.lang;
      if (own) {
        title.lang = own;
        excerpt.lang = own;
        const mark = document.createElement("span");
        mark.className = "okb-lang";
        mark.lang = own;
        const shown = document.createElement("span");
        shown.setAttribute("aria-hidden", "true");
        shown.textContent = data.meta.lang_mark || own.toUpperCase();
        const name = document.createElement("span");
        name.className = "okb-visually-hidden";
        name.textContent = data.meta.lang_name || own;
        mark.append(shown, name);
        // Before the title, not after as in lists: a result's title is cut to one line.
        title.prepend(mark, " ");
      }
      return li;
    }

    // Shows results[from…]: the count with the first record, each next record as it arrives.
    async function show(results, from, run, term) {
      const size = from ? MORE : FIRST;
      const pending = results.slice(from, from + size).map((result) => record(result).catch(() => null));
      if (from === 0) {
        if (pending.length) await pending[0];
        if (run !== latest) return;
        meta.textContent = results.length === 1
          ? text("search_count_one")
          : results.length ? text("search_count", { n: results.length }) : text("search_none");
        list.replaceChildren();
      } else {
        list.querySelector(".okb-search-more")?.remove();
      }
      for (const next of pending) {
        const data = await next;
        if (run !== latest) return;
        if (data) list.append(item(data, term));
      }
      const left = results.length - from - size;
      if (left > 0) {
        const more = document.createElement("button");
        more.className = "okb-search-more";
        more.type = "button";
        more.textContent = text("search_more", { n: Math.min(MORE, left) });
        more.addEventListener("click", () => show(results, from + size, run, term));
        list.append(more);
      }
    }

    // at once: false debounces (keystrokes); true searches now (a pasted or completed word).
    async function search(atOnce = false) {
      const run = ++latest;
      const term = input.value.trim();
      const filters = chosenFilters();
      const counted = Boolean(allFilters); // this search's counts cover every filter
      if (!indexed) {
        meta.textContent = text("search_preview");
        return;
      }
      if (!term && !Object.keys(filters).length) {
        list.replaceChildren();
        if (pagefind) meta.textContent = text("search_ready");
        if (allFilters) showCounts(allFilters);
        return;
      }
      let pf;
      try {
        pf = await load();
      } catch {
        return; // load() says so in the box
      }
      const found = atOnce
        ? await pf.search(term || null, { filters })
        : await pf.debouncedSearch(term || null, { filters }, DEBOUNCE_MS);
      if (found === null || run !== latest) return;
      let results = found.results;
      results.slice(0, FIRST).forEach((result) => record(result).catch(() => {})); // all at once
      // Filtered to nothing, the query's words are still checked (on its best result
      // without filters): the counts must not show what a false match would give.
      let best = results[0];
      if (!best && term && Object.keys(filters).length) best = (await pf.search(term)).results[0];
      const none = Boolean(term && best && !(await reallyFound(pf, term, best)));
      if (none) results = [];
      if (run !== latest) return;
      await show(results, 0, run, term);
      // The filters' chunks are fetched after the first results, not competing with them;
      // the counts need them (Pagefind counts only the filters it has loaded), so the first
      // time they are counted once they are there, by searching again (a local search: the
      // index chunks are loaded).
      await loadFilters(pf);
      if (run !== latest) return;
      const all = counted ? found : await pf.search(term || null, { filters });
      const counts = none ? {} : await countsFor(pf, term, filters, all);
      if (run === latest) showCounts(counts);
    }

    input.addEventListener("focus", () => {
      toggle.checked = true;
      intent();
    });
    input.addEventListener("input", (event) => {
      // The index chunks a query needs are fetched at once; the search uses them.
      const term = input.value.trim();
      if (pagefind && term.length >= 3) pagefind.then((pf) => pf.preload(term)).catch(() => {});
      // Keystrokes are debounced; a word that arrives whole (pasted, picked from the phone
      // keyboard's suggestions) is searched without waiting.
      const whole = ["insertFromPaste", "insertReplacementText", "insertFromDrop"].includes(event.inputType);
      search(whole || (event.data || "").length > 1);
    });
    button.addEventListener("click", () => setTimeout(() => input.focus(), 0));
    // A touch on the search button comes ~0.1-0.3 s before the box has focus.
    button.addEventListener("touchstart", intent, { passive: true, once: true });
    // A pointer over the box or the button: a reader about to search. Not with Data Saver
    // on, where nothing is fetched until the box is used.
    if (!saveData) {
      for (const target of [button, form]) target.addEventListener("pointerenter", intent, { once: true });
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      list.querySelector("a")?.click();
    });
    form.addEventListener("reset", () => setTimeout(() => { search(); input.focus(); }, 0));
    if (indexed && !saveData) afterLoad(() => load("low").catch(() => {}));

    // Landing from a result: mark the searched words, as Material's search.highlight does.
    const highlight = new URLSearchParams(location.search).get("h");
    if (highlight && indexed) {
      afterLoad(() => import(pagefindUrl("pagefind-highlight.js")).then(
        () => new window.PagefindHighlight({ highlightParam: "h", markContext: "article", addStyles: false }),
        () => {},
      ));
    }

    // Keyboard, as in Material: s, f or / opens search, unless the reader is typing
    // somewhere or holds a modifier; Escape closes it.
    const typing = (element) =>
      element instanceof HTMLElement &&
      (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        if (!toggle.checked) return;
        toggle.checked = false;
        input.blur();
        return;
      }
      if (toggle.checked || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (!["s", "f", "/"].includes(event.key) || typing(event.target) || typing(document.activeElement)) return;
      event.preventDefault(); // the key opens search, it does not type into the box
      toggle.checked = true;
      input.focus();
      input.select();
    });
  }
})();

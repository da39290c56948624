// Site search with Pagefind, in Material's own search box and result list.
//
// Material's built-in search downloads and indexes the whole site before the first
// result; Pagefind (index built by generator/search.py) fetches only the few index
// chunks a query needs. This script adds Material's search markup (same classes, so
// Material's CSS styles it; the few additions are in assets/okb.css) to the header and
// answers queries from pagefind/pagefind.js. Filters (country, objective, type of
// change, year) come from data-pagefind-filter on fragment pages. The interface text
// follows the page's language (<html lang>, i.e. theme.language).
//
// Speed on a slow phone (bench/search_speed.py): this file is loaded in <head>
// (templates/theme/main.html). It asks for Pagefind's start-up files at once, all
// together (warm()), and puts the search box into the header as soon as the header is
// parsed, so the box shows with the first paint, before Material's bundle has run.
// Pagefind itself starts when the box gets focus or the browser is idle after load.
// The first screen asks for FIRST result records and shows each as soon as it arrives.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const root = new URL("../", script.src); // this file is assets/okb-search.js
  const pagefindUrl = (path) => new URL(`pagefind/${path}`, root).href;
  const lang = (document.documentElement.lang || "en").toLowerCase();
  const saveData = Boolean(navigator.connection && navigator.connection.saveData);

  // Pagefind starts as a chain of requests, each waiting for the one before: pagefind.js,
  // then its worker, then pagefind-entry.json (with a ?ts= cache-buster), then the
  // metadata and the wasm. warm() asks for them all at once; Pagefind's own requests then
  // find them in the HTTP cache (same URLs: the entry's cache-buster is passed to Pagefind
  // as metaCacheTag). The metadata file is named in the entry, and also here: its
  // languages are written in when the site is indexed (generator/search.py), so that
  // the metadata need not wait for the entry.
  const INDEX_LANGUAGES = null /* index languages: written by generator/search.py */;
  const tag = String(Date.now());
  let warmed = false;
  function warm() {
    if (warmed) return;
    warmed = true;
    // Low priority: on a real network the page's own files go first.
    const get = (path) =>
      fetch(pagefindUrl(path), { priority: "low" })
        .then((response) => (response.ok ? response : Promise.reject(new Error(response.statusText))));
    const drain = (path) => get(path).then((response) => response.arrayBuffer()).catch(() => null);
    const startFiles = (languages) => {
      // Pagefind's choice: the page's language, its primary subtag, else the biggest index.
      const biggest = Object.values(languages).sort((a, b) => b.page_count - a.page_count)[0];
      const chosen = languages[lang] || languages[lang.split("-")[0]] || biggest;
      if (!chosen) return;
      drain(`pagefind.${chosen.hash}.pf_meta`);
      drain(`wasm.${chosen.wasm || "unknown"}.pagefind`);
    };
    drain("pagefind.js");
    drain("pagefind-worker.js");
    // The entry too, with the cache-buster Pagefind will use: its own request is then a cache hit.
    const entry = get(`pagefind-entry.json?ts=${tag}`).then((response) => response.json());
    if (INDEX_LANGUAGES) startFiles(INDEX_LANGUAGES);
    else entry.then(({ languages = {} }) => startFiles(languages)).catch(() => {});
    entry.catch(() => {});
  }

  // Pagefind's files (about 125 kB) are fetched at once, beside the page's own: on a slow
  // link they are there by the time the reader has typed. Not for readers who asked their
  // browser to save data: for them, nothing until the search box gets focus.
  if (!saveData) warm();

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

  function mount() {
    const header = document.querySelector(".md-header__inner");
    const toggle = document.getElementById("__search");
    if (!header || !toggle || document.querySelector(".md-search")) return;
    // Material's bundle does this first thing; this script runs before it.
    document.documentElement.classList.replace("no-js", "js");
    const FIRST = 5; // records fetched for the first screen
    const MORE = 10; // records fetched per "show more"
    const DEBOUNCE_MS = 120; // a search per keystroke would queue costly one-letter prefix searches

    // The interface text, in the page's language (English when not listed). Filter names
    // come from the index, already in the site's language (templates/labels.yml).
    const STRINGS = {
      en: {
        search: "Search",
        clear: "Clear",
        ready: "Type to start searching",
        loading: "Initializing search",
        none: "No matching documents",
        count: (n) => (n === 1 ? "1 matching document" : `${n} matching documents`),
        more: (n) => `Show more (${n})`,
        all: (name) => `${name}: all`,
        filters: "Filters",
      },
      fr: {
        search: "Rechercher",
        clear: "Effacer",
        ready: "Saisissez un mot pour rechercher",
        loading: "Initialisation de la recherche",
        none: "Aucun document correspondant",
        count: (n) => (n === 1 ? "1 document correspondant" : `${n} documents correspondants`),
        more: (n) => `Afficher plus (${n})`,
        all: (name) => `${name} : tous`,
        filters: "Filtres",
      },
    };
    const T = STRINGS[lang] || STRINGS[lang.split("-")[0]] || STRINGS.en;

    const svg = (d) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${d}"/></svg>`;
    const MAGNIFY = svg("M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5");
    const BACK = svg("M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z");
    const CLOSE = svg("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z");

    const button = document.createElement("label");
    button.className = "md-header__button md-icon";
    button.htmlFor = "__search";
    button.title = T.search;
    button.innerHTML = MAGNIFY;
    const box = document.createElement("div");
    box.className = "md-search okb-search";
    box.setAttribute("role", "dialog");
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
              <div class="md-search-result__meta"></div>
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
    input.placeholder = T.search;
    input.setAttribute("aria-label", T.search);
    box.querySelector(".md-search__options").setAttribute("aria-label", T.search);
    reset.title = T.clear;
    reset.setAttribute("aria-label", T.clear);
    filterBar.setAttribute("aria-label", T.filters);
    meta.textContent = T.ready;
    const anchor = header.querySelector(".md-header__source");
    header.insertBefore(button, anchor);
    header.insertBefore(box, anchor);

    let pagefind = null;
    let latest = 0;
    let filtersLoading = null;

    const load = () => {
      if (pagefind) return pagefind;
      if (!input.value) meta.textContent = T.loading;
      warm();
      pagefind = import(pagefindUrl("pagefind.js")).then(async (pf) => {
        await pf.options({ baseUrl: root.pathname, excerptLength: 24, metaCacheTag: tag });
        await pf.init();
        if (!input.value && !latest) meta.textContent = T.ready;
        return pf;
      });
      pagefind.catch(() => { pagefind = null; });
      return pagefind;
    };

    // One fetch per result record, however often it is asked for.
    const records = new WeakMap();
    const record = (result) => {
      if (!records.has(result)) records.set(result, result.data());
      return records.get(result);
    };

    // Normalized as Pagefind normalizes a query: lower case, no accents, no punctuation.
    const normalize = (text) =>
      text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase()
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

    function showFilters(filters) {
      for (const [name, values] of Object.entries(filters)) {
        const select = document.createElement("select");
        select.name = name;
        select.setAttribute("aria-label", name);
        select.add(new Option(T.all(name), ""));
        for (const value of Object.keys(values).sort()) select.add(new Option(`${value} (${values[value]})`, value));
        select.addEventListener("change", () => {
          select.classList.toggle("okb-search-filter--set", Boolean(select.value));
          search(true);
        });
        filterBar.append(select);
      }
      filterBar.hidden = !filterBar.childElementCount;
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
      li.querySelector("h1").textContent = data.meta.title || data.url;
      li.querySelector("p").innerHTML = data.excerpt; // Pagefind's excerpt: escaped text with <mark>
      return li;
    }

    // Shows results[from…]: the count with the first record, each next record as it arrives.
    async function show(results, from, run, term) {
      const size = from ? MORE : FIRST;
      const pending = results.slice(from, from + size).map((result) => record(result).catch(() => null));
      if (from === 0) {
        if (pending.length) await pending[0];
        if (run !== latest) return;
        meta.textContent = results.length ? T.count(results.length) : T.none;
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
        more.textContent = T.more(Math.min(MORE, left));
        more.addEventListener("click", () => show(results, from + size, run, term));
        list.append(more);
      }
    }

    // at once: false debounces (keystrokes); true searches now (a pasted or completed word).
    async function search(atOnce = false) {
      const run = ++latest;
      const term = input.value.trim();
      const filters = chosenFilters();
      if (!term && !Object.keys(filters).length) {
        list.replaceChildren();
        meta.textContent = pagefind ? T.ready : meta.textContent;
        return;
      }
      const pf = await load();
      const found = atOnce
        ? await pf.search(term || null, { filters })
        : await pf.debouncedSearch(term || null, { filters }, DEBOUNCE_MS);
      if (found === null || run !== latest) return;
      let results = found.results;
      results.slice(0, FIRST).forEach((result) => record(result).catch(() => {})); // all at once
      if (term && results.length && !(await reallyFound(pf, term, results[0]))) results = [];
      if (run !== latest) return;
      await show(results, 0, run, term);
      // The filters' chunks are fetched after the first results, not competing with them.
      if (!filterBar.childElementCount && !filtersLoading) filtersLoading = pf.filters().then(showFilters);
    }

    input.addEventListener("focus", () => {
      toggle.checked = true;
      load();
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
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      list.querySelector("a")?.click();
    });
    form.addEventListener("reset", () => setTimeout(() => { search(); input.focus(); }, 0));
    // Pagefind starts when the box gets focus or the browser is idle after load, whichever
    // comes first, so that it is ready when the reader types; with Data Saver on, only
    // when the box gets focus.
    if (!saveData) {
      const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 1));
      const whenIdle = () => idle(() => load(), { timeout: 4000 });
      if (document.readyState === "complete") whenIdle();
      else window.addEventListener("load", whenIdle, { once: true });
    }
    // Landing from a result: mark the searched words, as Material's search.highlight does.
    const highlight = new URLSearchParams(location.search).get("h");
    if (highlight) {
      import(pagefindUrl("pagefind-highlight.js")).then(
        () => new window.PagefindHighlight({ highlightParam: "h", markContext: "article", addStyles: false }),
        () => {},
      );
    }
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        input.blur();
      }
    });
  }
})();

// Site search with Pagefind, in Material's own search box and result list.
//
// Material's built-in search downloads and indexes the whole site before the first
// result; Pagefind (index built by generator/search.py) fetches only the few index
// chunks a query needs, and nothing at all until the search box gets focus. This
// script adds Material's search markup (same classes, so Material's CSS styles it)
// to the header and answers queries from pagefind/pagefind.js. Filters (country,
// objective, type of change, year) come from data-pagefind-filter on fragment pages.
(() => {
  const script = document.currentScript;
  const header = document.querySelector(".md-header__inner");
  const toggle = document.getElementById("__search");
  if (!script || !header || !toggle || document.querySelector(".md-search")) return;
  const root = new URL("../", script.src); // this file is assets/okb-search.js
  const PAGE = 10;
  const svg = (d) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${d}"/></svg>`;
  const MAGNIFY = svg("M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5");
  const BACK = svg("M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z");
  const CLOSE = svg("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z");

  const button = document.createElement("label");
  button.className = "md-header__button md-icon";
  button.htmlFor = "__search";
  button.innerHTML = MAGNIFY;
  const box = document.createElement("div");
  box.className = "md-search";
  box.setAttribute("role", "dialog");
  box.innerHTML = `
    <label class="md-search__overlay" for="__search"></label>
    <div class="md-search__inner" role="search">
      <form class="md-search__form">
        <input type="text" class="md-search__input" name="query" aria-label="Search" placeholder="Search"
          autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" required>
        <label class="md-search__icon md-icon" for="__search">${MAGNIFY}${BACK}</label>
        <nav class="md-search__options" aria-label="Search">
          <button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1">${CLOSE}</button>
        </nav>
      </form>
      <div class="md-search__output">
        <div class="md-search__scrollwrap" tabindex="0">
          <div class="md-search-result">
            <div class="md-search-result__meta">Type to start searching</div>
            <div class="okb-search-filters" hidden></div>
            <ol class="md-search-result__list" role="presentation"></ol>
          </div>
        </div>
      </div>
    </div>`;
  const anchor = header.querySelector(".md-header__source");
  header.insertBefore(button, anchor);
  header.insertBefore(box, anchor);
  const style = document.createElement("style");
  style.textContent = `
    .okb-search-filters { display: flex; flex-wrap: wrap; gap: .4rem; padding: .4rem .8rem; border-bottom: .05rem solid var(--md-default-fg-color--lightest); }
    .okb-search-filters select { font: inherit; font-size: .64rem; max-width: 12rem; color: var(--md-default-fg-color); background: var(--md-default-bg-color); border: .05rem solid var(--md-default-fg-color--lighter); border-radius: .1rem; }
    .okb-search-more { display: block; width: 100%; padding: .6rem .8rem; font-size: .64rem; color: var(--md-accent-fg-color); text-align: left; cursor: pointer; }`;
  document.head.append(style);

  const form = box.querySelector("form");
  const input = box.querySelector("input");
  const meta = box.querySelector(".md-search-result__meta");
  const filterBar = box.querySelector(".okb-search-filters");
  const list = box.querySelector(".md-search-result__list");
  let pagefind = null;
  let latest = 0;
  let filtersLoading = null;

  const READY = "Type to start searching";
  const load = () => {
    if (pagefind) return pagefind;
    if (!input.value) meta.textContent = "Initializing search";
    pagefind = import(new URL("pagefind/pagefind.js", root).href).then(async (pf) => {
      await pf.options({ baseUrl: root.pathname, excerptLength: 24 });
      await pf.init();
      if (!input.value && !latest) meta.textContent = READY;
      return pf;
    });
    return pagefind;
  };

  function showFilters(filters) {
    for (const [name, values] of Object.entries(filters)) {
      const select = document.createElement("select");
      select.name = name;
      select.setAttribute("aria-label", name);
      select.add(new Option(`${name}: all`, ""));
      for (const value of Object.keys(values).sort()) select.add(new Option(`${value} (${values[value]})`, value));
      select.addEventListener("change", () => search());
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
    li.innerHTML = `<a class="md-search-result__link" tabindex="-1"><article class="md-search-result__article md-typeset"><div class="md-search-result__icon md-icon"></div><h1></h1><p></p></article></a>`;
    li.querySelector("a").href = term ? `${data.url}?h=${encodeURIComponent(term)}` : data.url;
    li.querySelector("h1").textContent = data.meta.title || data.url;
    li.querySelector("p").innerHTML = data.excerpt; // Pagefind's excerpt: escaped text with <mark>
    return li;
  }

  async function show(results, from, run, term) {
    const page = await Promise.all(results.slice(from, from + PAGE).map((r) => r.data()));
    if (run !== latest) return;
    if (from === 0) {  // count and first results appear together, as in Material
      const n = results.length;
      meta.textContent = n ? `${n} matching ${n === 1 ? "document" : "documents"}` : "No matching documents";
      list.replaceChildren();
    }
    list.querySelector(".okb-search-more")?.remove();
    list.append(...page.map((data) => item(data, term)));
    if (results.length > from + PAGE) {
      const more = document.createElement("button");
      more.className = "okb-search-more";
      more.type = "button";
      more.textContent = `Show ${Math.min(PAGE, results.length - from - PAGE)} more`;
      more.addEventListener("click", () => show(results, from + PAGE, run, term));
      list.append(more);
    }
  }

  async function search() {
    const run = ++latest;
    const term = input.value.trim();
    const filters = chosenFilters();
    if (!term && !Object.keys(filters).length) {
      list.replaceChildren();
      meta.textContent = pagefind ? READY : meta.textContent;
      return;
    }
    const pf = await load();
    // Debounced: a search per keystroke would queue costly one-letter prefix searches.
    const found = await pf.debouncedSearch(term || null, { filters }, 120);
    if (found === null || run !== latest) return;
    if (!filterBar.childElementCount && !filtersLoading) filtersLoading = pf.filters().then(showFilters);
    await show(found.results, 0, run, term);
  }

  input.addEventListener("focus", () => {
    toggle.checked = true;
    load();
  });
  input.addEventListener("input", () => search());
  button.addEventListener("click", () => setTimeout(() => input.focus(), 0));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    list.querySelector("a")?.click();
  });
  form.addEventListener("reset", () => setTimeout(() => { search(); input.focus(); }, 0));
  // Landing from a result: mark the searched words, as Material's search.highlight does.
  const highlight = new URLSearchParams(location.search).get("h");
  if (highlight) {
    import(new URL("pagefind/pagefind-highlight.js", root).href).then(
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
})();

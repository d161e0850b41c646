/*
 * The site's search box: Material's look, Pagefind's index (issue 16).
 *
 * Nothing of the index is fetched with a page: Pagefind's script, its WebAssembly and the
 * index chunks a query needs are loaded when someone opens the search box, and only from this
 * site. Before a query goes to Pagefind it is read against the site's vocabulary (a small file,
 * also loaded on first use): another name of the synonyms registry becomes the name the entries
 * use ("Cabometyx" -> "cabozantinib"), a trial name with a number is searched as one name
 * ("CheckMate 067"), and a word that is one or two letters away from a drug, condition or trial
 * name is read as that name, saying so ("Showing results for cabozantinib").
 *
 * Author text reaches the page only as text nodes (textContent), never as HTML.
 */
(() => {
  "use strict";

  const dialog = document.querySelector("[data-evidence-search]");
  const toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  const input = dialog.querySelector("input.md-search__input");
  const form = dialog.querySelector("form");
  const meta = dialog.querySelector(".md-search-result__meta");
  const note = dialog.querySelector(".evidence-search__note");
  const filterBox = dialog.querySelector(".evidence-search__filters");
  const list = dialog.querySelector(".md-search-result__list");
  const root = new URL(dialog.dataset.base.replace(/\/?$/, "/"), location.href);
  const SHOWN = 10;

  let engine = null; // Promise of [pagefind, vocabulary]
  let sequence = 0; // the latest query: answers to older ones are dropped
  const chosen = new Set(); // tags to filter by
  let literal = ""; // a query the reader asked to search as typed

  /* --- opening, closing, keys ------------------------------------------------------------ */

  function open() {
    toggle.checked = true;
    input.focus();
    load();
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function typing(target) {
    return target instanceof HTMLElement && target !== input &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!toggle.checked) {
      if (["/", "s", "f"].includes(event.key) && !typing(event.target)) {
        event.preventDefault();
        open();
      }
      return;
    }
    const links = [...list.querySelectorAll("a.md-search-result__link")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length || (at < 0 && document.activeElement !== input)) return;
      event.preventDefault();
      const next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (event.key === "Enter" && document.activeElement === input && links.length) {
      event.preventDefault();
      links[0].click();
    }
  });

  input.addEventListener("focus", () => { toggle.checked = true; load(); });
  toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => {
    chosen.clear();
    literal = "";
    setTimeout(() => { input.focus(); search(); });
  });

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 80); // a query per pause in typing, not per key
  });

  /* --- loading on first use -------------------------------------------------------------- */

  function load() {
    if (!engine) {
      engine = Promise.all([
        import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
          await pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
          pagefind.init();
          return pagefind;
        }),
        fetch(new URL("search/vocabulary.json", root)).then((r) => (r.ok ? r.json() : {}))
          .catch(() => ({})).then(vocabulary),
      ]);
      engine.catch(() => {
        engine = null;
        meta.textContent = "Search could not be loaded. Reload the page to try again.";
      });
    }
    return engine;
  }

  /* --- reading a query against the vocabulary -------------------------------------------- */

  function normal(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, "").replace(/\s+/g, " ").trim();
  }

  function vocabulary(data) {
    const names = new Map(); // whole name, without spaces -> the name as written
    const words = new Map(); // each word of a name -> the word as written
    const synonyms = new Map(); // another name -> the name
    const learn = (name) => {
      names.set(normal(name).replace(/ /g, ""), name);
      name.split(/\s+/).forEach((word) => {
        const key = normal(word);
        if (key.length > 2 && !words.has(key)) words.set(key, word.replace(/^\W+|\W+$/g, ""));
      });
    };
    (data.names || []).forEach(learn);
    Object.entries(data.synonyms || {}).forEach(([other, name]) => {
      synonyms.set(normal(other), name);
      learn(other);
    });
    return { names, words, synonyms };
  }

  // The query as Pagefind should run it, and what to tell the reader about it.
  function read(query, vocab, correcting) {
    let words = normal(query).split(" ").filter(Boolean);
    const told = [];
    // Other names, longest first: "Somatuline Depot" before "Somatuline".
    for (let size = Math.min(words.length, 5); size > 0; size--) {
      for (let start = 0; start + size <= words.length; start++) {
        const name = vocab.synonyms.get(words.slice(start, start + size).join(" "));
        if (name) {
          told.push(`${words.slice(start, start + size).join(" ")} → ${name}`);
          words.splice(start, size, ...normal(name).split(" "));
        }
      }
    }
    let corrected = false;
    // A whole name as typed, spaces or not ("netter 1"), is that name; else each word that is
    // no word of a name, nor the start of one, may be a slip.
    if (correcting && !vocab.names.has(words.join(""))) {
      words = words.map((word) => {
        const known = vocab.words.has(word) || [...vocab.words.keys()].some((w) => w.startsWith(word));
        if (known || word.length < 4 || !/\p{L}/u.test(word)) return word;
        const near = nearest(word, vocab.words);
        if (!near) return word;
        corrected = true;
        return normal(near);
      });
    }
    const joined = words.join(" ");
    const name = vocab.names.get(joined.replace(/ /g, ""));
    if (!name) return { query: joined, shown: joined, told, corrected };
    // A name is searched as written, a name of several words as one: "CheckMate 067".
    return { query: /\s/.test(name) ? `"${name}"` : name, shown: name, told, corrected };
  }

  function nearest(word, words) {
    const limit = word.length <= 5 ? 1 : 2;
    let best = null;
    let bestDistance = limit + 1;
    for (const [key, written] of words) {
      if (Math.abs(key.length - word.length) > limit) continue;
      const distance = edits(word, key, limit);
      if (distance < bestDistance) { best = written; bestDistance = distance; }
    }
    return best;
  }

  // Damerau-Levenshtein distance (a swap of two letters is one edit), cut off above `limit`.
  function edits(a, b, limit) {
    const rows = [];
    for (let i = 0; i <= a.length; i++) {
      rows.push([i]);
      let smallest = i;
      for (let j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(value);
        smallest = Math.min(smallest, value);
      }
      if (i > 0 && smallest > limit) return limit + 1;
    }
    return rows[a.length][b.length];
  }

  /* --- searching ----------------------------------------------------------------------- */

  async function search() {
    const query = input.value.trim();
    const mine = ++sequence;
    if (query.length < 2) {
      show(mine, [], "Type to start searching");
      return;
    }
    const [pagefind, vocab] = await load();
    if (mine !== sequence) return;
    const filters = chosen.size ? { tag: [...chosen] } : {}; // every tag chosen
    const asked = read(query, vocab, literal !== query);
    let found = await pagefind.search(asked.query, { filters });
    let told = asked.told.length ? `Searching for ${asked.shown} (${asked.told.join(", ")}).` : "";
    let plain = null;
    if (asked.corrected) {
      // The words as typed found something too: after the corrected query's results.
      const typed = read(query, vocab, false);
      const also = await pagefind.search(typed.query, { filters });
      const seen = new Set(found.results.map((result) => result.id));
      found = { ...found, results: [...found.results, ...also.results.filter((r) => !seen.has(r.id))] };
      told = `Showing results for ${asked.shown}.`;
      plain = query;
    }
    const loaded = claimed(
      await Promise.all(found.results.slice(0, SHOWN).map((result) => result.data())),
      normal(asked.shown),
    );
    if (mine !== sequence) return;
    const count = found.results.length;
    if (await stale()) {
      told = `The search index is being brought up to date after your last save: it may not ` +
        `find what the save changed yet. ${told}`;
    }
    if (mine !== sequence) return;
    show(mine, loaded, count === 0
      ? "No matching entries"
      : `${count} matching entr${count === 1 ? "y" : "ies"}`, told, plain, asked.shown);
  }

  // Among the results shown, the entries that have the words searched for as (the start of)
  // one of their tags, trials or authors come first, and of those the most specific, with the
  // fewest tags and trials: "CLARINET" puts the entry on that trial before one on two trials,
  // and before a page that mentions a cabinet; "Chan" the entry citing Chan JA before one
  // about the chance of a change.
  function claimed(results, words) {
    const values = (result, name) => ((result.filters && result.filters[name]) || []).map(normal);
    const rank = (result) => {
      const scope = [...values(result, "tag"), ...values(result, "trial")];
      const claims = [...scope, ...values(result, "author")]
        .some((name) => name === words || name.startsWith(`${words} `));
      return claims ? scope.length : Infinity;
    };
    return results.map((result, index) => [rank(result), index, result])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , result]) => result);
  }

  // Under `mkdocs serve` only: whether the index is older than the pages (it is remade in
  // the background after each save).
  async function stale() {
    if (!dialog.dataset.status) return false;
    try {
      const response = await fetch(new URL(dialog.dataset.status, location.href), { cache: "no-store" });
      return response.ok && (await response.json()).stale === true;
    } catch {
      return false;
    }
  }

  function show(mine, results, summary, told = "", plain = null, terms = "") {
    if (mine !== sequence) return;
    list.dataset.query = input.value.trim(); // what the results shown answer
    meta.textContent = summary;
    note.replaceChildren();
    note.hidden = !told;
    if (told) {
      note.append(told);
      if (plain) {
        const instead = document.createElement("button");
        instead.type = "button";
        instead.className = "evidence-search__instead";
        instead.textContent = `Search for ${plain} instead`;
        instead.addEventListener("click", () => { literal = plain; input.focus(); search(); });
        note.append(" ", instead);
      }
    }
    showFilters(results);
    list.replaceChildren(...results.map((result) => item(result, terms || input.value)));
  }

  // Chips for the tags of the results shown (the tag filter's own index is loaded only
  // when a chip is chosen), with how many of those results have each.
  function showFilters(results) {
    const counts = new Map([...chosen].map((tag) => [tag, 0]));
    for (const result of results) {
      for (const tag of (result.filters && result.filters.tag) || []) {
        counts.set(tag, (counts.get(tag) || 0) + 1);
      }
    }
    const tags = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 8);
    filterBox.replaceChildren();
    filterBox.hidden = tags.length < 2 && !chosen.size;
    for (const [tag, n] of tags) {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "evidence-search__filter";
      chip.setAttribute("aria-pressed", String(chosen.has(tag)));
      chip.textContent = `${tag} (${n})`;
      chip.addEventListener("click", () => {
        if (chosen.has(tag)) chosen.delete(tag); else chosen.add(tag);
        search();
      });
      filterBox.append(chip);
    }
  }

  function item(result, terms) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = result.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const title = document.createElement("h1");
    title.textContent = (result.meta && result.meta.title) || result.url;
    const snippet = document.createElement("p");
    const text = (result.meta && result.meta.answer) || excerptText(result.excerpt);
    snippet.append(...marked(text, terms));
    article.append(title, snippet);
    link.append(article);
    li.append(link);
    return li;
  }

  function excerptText(excerpt) {
    const holder = document.createElement("template");
    holder.innerHTML = excerpt || ""; // Pagefind escapes the page's text in excerpts
    return holder.content.textContent;
  }

  // The snippet's words that start like a query word, in <mark>.
  function marked(text, terms) {
    const wanted = normal(terms).split(" ").filter((w) => w.length > 1);
    const nodes = [];
    for (const piece of text.split(/(\s+)/)) {
      const key = normal(piece);
      if (key && wanted.some((w) => key.startsWith(w))) {
        const mark = document.createElement("mark");
        mark.textContent = piece;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(piece));
      }
    }
    return nodes;
  }
})();

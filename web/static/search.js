// Progressive enhancement of the search page: results follow typing and ticking.
// Without JavaScript the page is a plain GET form; with it, the same URLs are fetched
// and the results region swapped in place, the address bar follows, and Back works.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.DOMParser) return;
  document.documentElement.classList.add("js");
  var timer = null;
  var controller = null;

  // The sort shown when none was chosen follows the query (relevance, or newest
  // without one): it goes into the URL only once the reader picks one.
  function urlOf(f) {
    var params = new URLSearchParams();
    var sort = document.getElementById("sort");
    var sortChosen = sort && sort.dataset.explicit === "1";
    new FormData(f).forEach(function (value, key) {
      if (value === "" || (key === "sort" && !sortChosen)) return;
      params.append(key, value);
    });
    var query = params.toString();
    return "/" + (query ? "?" + query : "");
  }

  var narrow = window.matchMedia("(max-width: 48rem)");

  // The filters as the reader left them: which disclosures are open, what the boxes
  // that find a facet's values hold. A swap brings the server's state; this is put back.
  function filtersState() {
    var state = { open: {}, find: {} };
    form.querySelectorAll(".facets details[id]").forEach(function (d) { state.open[d.id] = d.open; });
    form.querySelectorAll(".facet-filter-box").forEach(function (box) { state.find[box.id] = box.value; });
    return state;
  }

  function restoreFilters(state) {
    Object.keys(state.open).forEach(function (id) {
      var d = document.getElementById(id);
      if (!d) return;
      // a "show more" stays open over a ticked value, so that it can be unticked
      var holdsTicked = id !== "filters-panel" && d.querySelector("input:checked") !== null;
      d.open = state.open[id] || holdsTicked;
    });
    enhanceFacets();
    Object.keys(state.find).forEach(function (id) {
      var box = document.getElementById(id);
      if (box && state.find[id]) { box.value = state.find[id]; findValues(box); }
    });
  }

  // A box above a long facet hides the values whose label does not hold what is typed
  // (accents and case aside), looking through those behind "show more" too.
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function findValues(box) {
    var facet = box.closest(".facet");
    var wanted = folded(box.value.trim());
    var more = facet.querySelector("details.more");
    if (more) {
      if (wanted && !("wasOpen" in more.dataset)) { more.dataset.wasOpen = more.open ? "1" : ""; more.open = true; }
      if (!wanted && "wasOpen" in more.dataset) { more.open = more.dataset.wasOpen === "1"; delete more.dataset.wasOpen; }
    }
    var shown = 0;
    facet.querySelectorAll(".facet-values li").forEach(function (li) {
      var match = !wanted || folded(li.querySelector("label").textContent).indexOf(wanted) >= 0;
      li.hidden = !match;
      if (match) shown += 1;
    });
    var none = facet.querySelector(".facet-filter .none");
    if (!none) {
      none = document.createElement("p");
      none.className = "none";
      none.setAttribute("role", "status");
      box.parentNode.appendChild(none);
    }
    none.textContent = shown ? "" : box.dataset.none;
  }

  function enhanceFacets() {
    form.querySelectorAll(".facet-filter").forEach(function (wrapper) { wrapper.hidden = false; });
  }

  function swap(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var focusedId = document.activeElement && document.activeElement.id;
    var state = filtersState();
    var oldFacets = form.querySelector(".facets");
    var newFacets = next.querySelector("#search-form .facets");
    var oldResults = document.getElementById("results");
    var newResults = next.getElementById("results");
    if (oldFacets && newFacets) oldFacets.replaceWith(newFacets);
    if (oldResults && newResults) oldResults.replaceWith(newResults);
    restoreFilters(state);
    document.title = next.title;
    var feed = next.querySelector('link[rel=alternate]');
    var oldFeed = document.querySelector('link[rel=alternate]');
    if (feed && oldFeed) oldFeed.href = feed.getAttribute("href");
    if (focusedId && focusedId !== "q") {
      var again = document.getElementById(focusedId);
      if (again) again.focus();
    }
  }

  // While a word is being typed, it also matches the words it begins (prefix=last);
  // the address bar keeps the view itself, without that.
  function load(url, push, typing) {
    if (controller) controller.abort();
    controller = new AbortController();
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "true");
    var q = document.getElementById("q");
    var asked = url;
    if (typing && q && q.value.trim() && !/\s$/.test(q.value)) {
      asked += (url.indexOf("?") < 0 ? "?" : "&") + "prefix=last";
    }
    fetch(asked, { signal: controller.signal, headers: { "Accept": "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        swap(html);
        noteResults();
        if (push) history.pushState({ url: url }, "", url);
      })
      .catch(function (err) { if (err.name !== "AbortError") window.location.href = url; });
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("facet-filter-box")) { findValues(event.target); return; }
    if (event.target.id !== "q") return;
    clearTimeout(timer);
    timer = setTimeout(function () { load(urlOf(form), true, true); }, 250);
  });
  form.addEventListener("change", function (event) {
    if (event.target.id === "q" || !event.target.name) return;
    if (event.target.id === "sort") event.target.dataset.explicit = "1";
    clearTimeout(timer);
    load(urlOf(form), true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    load(urlOf(form), true);
  });
  // On a narrow screen the results come first and the filters wait, closed, below them;
  // the "Filters (n)" link above the results opens them and goes there.
  var panel = document.getElementById("filters-panel");
  if (panel && narrow.matches) panel.open = false;
  form.addEventListener("click", function (event) {
    var jump = event.target.closest(".filters-jump");
    if (!jump) return;
    event.preventDefault();
    var filters = document.getElementById("filters-panel");
    filters.open = true;
    filters.querySelector("summary").focus();
    filters.scrollIntoView({ block: "start" });
  });
  form.addEventListener("keydown", function (event) {
    // Enter in a box that finds facet values must not submit the form
    if (event.key === "Enter" && event.target.classList.contains("facet-filter-box")) event.preventDefault();
  });
  enhanceFacets();

  // Search insights: opening a result tells docrepo its position (navigator.sendBeacon,
  // nothing without JavaScript, no redirect). A search that found nothing is remembered
  // in this tab (sessionStorage) for two minutes: when a result of another query is then
  // opened, the failed query goes with it, as one event (a synonym to propose).
  var FAILED = "docrepo-failed", TWO_MINUTES = 120000;
  function noteResults() {
    var results = document.getElementById("results");
    if (!results || !results.dataset.q || results.dataset.total !== "0") return;
    try { sessionStorage.setItem(FAILED, JSON.stringify({ q: results.dataset.q, t: Date.now() })); } catch (e) {}
  }
  function failedBefore(q) {
    try {
      var failed = JSON.parse(sessionStorage.getItem(FAILED) || "null");
      if (failed && failed.q !== q && Date.now() - failed.t < TWO_MINUTES) return failed.q;
    } catch (e) {}
    return "";
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#results .hits li a");
    var results = document.getElementById("results");
    if (!link || !results || !navigator.sendBeacon) return;
    var items = Array.prototype.slice.call(results.querySelectorAll(".hits > li"));
    var list = results.querySelector(".hits");
    var position = (parseInt(list.getAttribute("start"), 10) || 1) + items.indexOf(link.closest(".hits > li"));
    var doc = decodeURIComponent(new URL(link.href).pathname.replace(/^\/doc\//, ""));
    var q = results.dataset.q;
    navigator.sendBeacon("/insights/event", JSON.stringify({
      q: q, doc: doc, position: position, source: "page", failed: failedBefore(q)
    }));
  });
  noteResults();

  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(window.location.search);
    document.getElementById("q").value = params.get("q") || "";
    load(window.location.pathname + window.location.search, false);
  });
})();

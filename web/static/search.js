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

  function swap(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var focusedId = document.activeElement && document.activeElement.id;
    var oldFacets = form.querySelector(".facets");
    var newFacets = next.querySelector("#search-form .facets");
    var oldResults = document.getElementById("results");
    var newResults = next.getElementById("results");
    if (oldFacets && newFacets) oldFacets.replaceWith(newFacets);
    if (oldResults && newResults) oldResults.replaceWith(newResults);
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
        if (push) history.pushState({ url: url }, "", url);
      })
      .catch(function (err) { if (err.name !== "AbortError") window.location.href = url; });
  }

  form.addEventListener("input", function (event) {
    if (event.target.id !== "q") return;
    clearTimeout(timer);
    timer = setTimeout(function () { load(urlOf(form), true, true); }, 250);
  });
  form.addEventListener("change", function (event) {
    if (event.target.id === "q") return;
    if (event.target.id === "sort") event.target.dataset.explicit = "1";
    clearTimeout(timer);
    load(urlOf(form), true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    load(urlOf(form), true);
  });
  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(window.location.search);
    document.getElementById("q").value = params.get("q") || "";
    load(window.location.pathname + window.location.search, false);
  });
})();

// <docrepo-search>: an embeddable search box for docrepo, in its own shadow DOM.
// No framework, no build step. The API is found from this script's own URL.
(function () {
  "use strict";
  if (window.customElements && customElements.get("docrepo-search")) return;
  var script = document.currentScript;
  var BASE = script && script.src ? new URL(script.src).origin : "";
  var FILTERS = ["type", "institute", "region", "issuer", "theme", "status", "year"];
  var TEXT = {
    fr: { label: "Rechercher dans les documents", placeholder: "Rechercher…", loading: "Recherche…",
      none: "Aucun document trouvé.", error: "La recherche est indisponible.",
      refused: function (origin, site) {
        return "Ce widget ne peut pas interroger " + site + " depuis cette page : son origine, " + origin +
          ", n'est pas autorisée. Ajoutez « " + origin + " » au réglage cors_origins de docrepo.";
      },
      count: function (n) { return n + (n > 1 ? " documents" : " document"); },
      more: "Tous les résultats", repealed: "Abrogé", attached: "Pièce jointe :", page: "p." },
    en: { label: "Search the documents", placeholder: "Search…", loading: "Searching…",
      none: "No document found.", error: "Search is unavailable.",
      refused: function (origin, site) {
        return "This widget cannot query " + site + " from this page: its origin, " + origin +
          ", is not allowed. Add \u201c" + origin + "\u201d to docrepo's cors_origins setting.";
      },
      count: function (n) { return n + (n === 1 ? " document" : " documents"); },
      more: "All results", repealed: "Repealed", attached: "Attached file:", page: "p." }
  };
  // the link to a text's version in a language, in that language (whoever reads it knows it)
  var ALSO_IN = { fr: "Aussi en français", en: "Also in English" };
  var CSS = [
    ":host{display:block;font-family:var(--docrepo-font,system-ui,sans-serif);color:var(--docrepo-fg,#1b1b1f);",
    "--_accent:var(--docrepo-accent,#0b4f9c);--_radius:var(--docrepo-radius,6px)}",
    ".box{position:relative}",
    "label{display:block;font-weight:600;margin-bottom:.3em}",
    "input{box-sizing:border-box;width:100%;font:inherit;padding:.5em .7em;border:1px solid var(--docrepo-border,#6b6b78);",
    "border-radius:var(--_radius);background:var(--docrepo-bg,#fff);color:inherit}",
    "input:focus{outline:3px solid var(--docrepo-focus,#c2410c);outline-offset:1px}",
    "ul{list-style:none;margin:.3em 0 0;padding:0;border:1px solid var(--docrepo-border,#d0d0d8);",
    "border-radius:var(--_radius);background:var(--docrepo-bg,#fff)}",
    "ul:empty,ul[hidden]{display:none}",
    "li{padding:.5em .7em;border-bottom:1px solid var(--docrepo-border,#e4e4ea);cursor:pointer}",
    "li:last-child{border-bottom:0}",
    "li[aria-selected=true]{background:var(--docrepo-active,#e8eef8);box-shadow:inset 3px 0 var(--_accent)}",
    "a{color:var(--_accent);font-weight:600;text-decoration:none}a:hover{text-decoration:underline}",
    ".meta{display:block;font-size:.85em;color:var(--docrepo-muted,#4a4a55);margin-top:.15em}",
    ".repealed{color:var(--docrepo-repealed,#9b1c1c);font-weight:600}",
    ".snippet{display:block;font-size:.9em;margin-top:.2em}",
    ".also-in{display:block;font-size:.85em;margin-top:.2em}.also-in a{color:var(--_accent)}",
    ".attachment{display:block;font-size:.85em;margin-top:.2em;color:var(--docrepo-muted,#555)}.attachment a{font-weight:400}",
    "mark{background:var(--docrepo-mark,#ffe58a);color:inherit}",
    ".status{font-size:.85em;color:var(--docrepo-muted,#4a4a55);margin:.3em 0 0;min-height:1.2em}",
    ".status a{font-weight:400}",
    ".status.refused{color:var(--docrepo-repealed,#9b1c1c)}"
  ].join("");
  var counter = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  // The API's snippet is escaped HTML with <mark> only: rebuild it as nodes, never as markup.
  function snippetNodes(html) {
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var out = document.createDocumentFragment();
    parsed.body.childNodes.forEach(function (n) {
      if (n.nodeType === 3) out.appendChild(document.createTextNode(n.textContent));
      else if (n.nodeName === "MARK") out.appendChild(el("mark", {}, [n.textContent]));
      else out.appendChild(document.createTextNode(n.textContent || ""));
    });
    return out;
  }

  class DocrepoSearch extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      var id = "docrepo-" + ++counter;
      this.lang_ = (this.getAttribute("lang") || document.documentElement.lang || "fr").slice(0, 2) === "en" ? "en" : "fr";
      var t = TEXT[this.lang_];
      var root = this.attachShadow({ mode: "open" });
      if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);  // constructed sheets are not inline styles: a strict host CSP allows them
        root.adoptedStyleSheets = [sheet];
      } else {
        root.appendChild(el("style", {}, [CSS]));
      }
      this.input = el("input", {
        id: id + "-q", type: "search", role: "combobox", autocomplete: "off", "aria-expanded": "false",
        "aria-autocomplete": "list", "aria-controls": id + "-list",
        placeholder: this.getAttribute("placeholder") || t.placeholder
      });
      this.list = el("ul", { id: id + "-list", role: "listbox", "aria-label": t.label });
      this.status = el("p", { class: "status", role: "status", "aria-live": "polite" });
      root.appendChild(el("div", { class: "box", part: "box" }, [
        el("label", { for: id + "-q", part: "label" }, [this.getAttribute("label") || t.label]),
        this.input, this.list, this.status
      ]));
      this.active = -1;
      this.timer = null;
      this.controller = null;
      var self = this;
      this.input.addEventListener("input", function () {
        clearTimeout(self.timer);
        self.timer = setTimeout(function () { self.search(); }, 200);
      });
      this.input.addEventListener("keydown", function (e) { self.key(e); });
      // the list closes when focus leaves the widget, and comes back with it
      this.addEventListener("focusout", function (e) {
        if (!e.relatedTarget || (e.relatedTarget !== self && !self.contains(e.relatedTarget))) self.collapse();
      });
      this.input.addEventListener("focus", function () {
        if (self.list.children.length) {
          self.list.hidden = false;
          self.input.setAttribute("aria-expanded", "true");
        }
      });
    }

    collapse() {
      this.list.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      if (this.active >= 0) this.list.children[this.active].setAttribute("aria-selected", "false");
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
    }

    // A request refused by the browser hides its answer from the script, but not the
    // failure: when the site still answers a request that needs no permission
    // (no-cors), the page's origin is what was refused, and the webmaster is told so.
    failed() {
      var t = TEXT[this.lang_];
      var self = this;
      this.list.textContent = "";
      this.input.setAttribute("aria-expanded", "false");
      var origin = window.location.origin;
      if (!BASE || BASE === origin) { this.status.textContent = t.error; return; }
      fetch(BASE + "/healthz", { mode: "no-cors", credentials: "omit" }).then(function () {
        self.status.textContent = t.refused(origin, BASE);
        self.status.classList.add("refused");
      }, function () { self.status.textContent = t.error; });
    }

    params(q) {
      var p = new URLSearchParams();
      p.set("q", q);
      var self = this;
      FILTERS.forEach(function (name) {
        (self.getAttribute(name) || "").split(/\s+/).forEach(function (v) { if (v) p.append(name, v); });
      });
      (this.getAttribute("doc-lang") || "").split(/\s+/).forEach(function (v) { if (v) p.append("lang", v); });
      ["from", "to", "sort"].forEach(function (name) {
        if (self.getAttribute(name)) p.set(name, self.getAttribute(name));
      });
      p.set("per_page", String(Math.min(20, Math.max(1, parseInt(this.getAttribute("per-page"), 10) || 5))));
      return p;
    }

    // Search insights: opening a result tells docrepo its position (sendBeacon, a
    // text/plain body: no preflight); a search that found nothing in the last two
    // minutes, with another query, goes with it (a synonym to propose).
    opened(q, r, position) {
      if (!navigator.sendBeacon) return;
      var failed = this.failed && this.failed.q !== q && Date.now() - this.failed.t < 120000 ? this.failed.q : "";
      navigator.sendBeacon(BASE + "/insights/event", JSON.stringify({
        q: q, doc: r.id, position: position, source: "widget", failed: failed
      }));
    }

    search() {
      var q = this.input.value.trim();
      var t = TEXT[this.lang_];
      if (this.controller) this.controller.abort();
      if (!q) { this.clear(); return; }
      this.controller = new AbortController();
      this.status.textContent = t.loading;
      var self = this;
      var params = this.params(q);
      // the word being typed also matches the words it begins (not in the links shown)
      var asked = new URLSearchParams(params);
      if (!/\s$/.test(this.input.value)) asked.set("prefix", "last");
      asked.set("source", "widget");  // for search insights: the widget's searches, apart
      fetch(BASE + "/api/search?" + asked.toString(), {
        signal: this.controller.signal, credentials: "omit", headers: { "Accept-Language": this.lang_ }
      }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (data) { self.show(data, params); })
        .catch(function (err) {
          if (err.name === "AbortError") return;
          if (err instanceof TypeError) { self.failed(); return; }
          self.list.textContent = "";
          self.input.setAttribute("aria-expanded", "false");
          self.status.textContent = t.error;
        });
    }

    show(data, params) {
      var t = TEXT[this.lang_];
      var labels = {};
      ((data.facets && data.facets.type) || []).forEach(function (f) { labels[f.value] = f.label; });
      // the one date format of the interface language, as docrepo's pages write it
      var dates = new Intl.DateTimeFormat(this.lang_, { dateStyle: "long", timeZone: "UTC" });
      var french = this.lang_ === "fr";
      // as the pages write it: French makes the first of the month an ordinal ("1er mai")
      function written(day) {
        var text = dates.format(new Date(day + "T00:00:00Z"));
        return french && /^1 /.test(text) ? "1er" + text.slice(1) : text;
      }
      var id = this.list.id;
      this.list.textContent = "";
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
      var self = this;
      if (!data.total) this.failed = { q: data.query, t: Date.now() };
      data.results.forEach(function (r, i) {
        var meta = el("span", { class: "meta" }, [labels[r.type] || r.type]);
        if (r.reference) meta.appendChild(document.createTextNode(" · " + r.reference));
        if (r.date) meta.appendChild(document.createTextNode(" · " + written(r.date)));
        if (r.status === "repealed") {
          meta.appendChild(document.createTextNode(" · "));
          meta.appendChild(el("span", { class: "repealed" }, [t.repealed]));
        }
        var link = el("a", { href: BASE + r.url, target: "_top", tabindex: "-1" }, [r.title]);
        link.addEventListener("click", function () { self.opened(data.query, r, i + 1); });
        var snippet = el("span", { class: "snippet" });
        snippet.appendChild(snippetNodes(r.snippet || ""));
        var parts = [link, meta, snippet];
        if (r.attachment) {
          // the snippet comes from an attached file: which one, and at which page
          var where = r.attachment.title + (r.attachment.page ? ", " + t.page + " " + r.attachment.page : "");
          var file = el("a", { href: BASE + r.attachment.url, target: "_top", tabindex: "-1" }, [where]);
          file.addEventListener("click", function (e) { e.stopPropagation(); self.opened(data.query, r, i + 1); });
          parts.push(el("span", { class: "attachment" }, [t.attached + " ", file]));
        }
        (r.translations || []).forEach(function (other) {
          // the text's other language versions: a link each, opened like the result
          var also = el("a", { href: BASE + other.url, target: "_top", tabindex: "-1", hreflang: other.lang,
            lang: other.lang, title: other.title }, [ALSO_IN[other.lang] || other.lang]);
          also.addEventListener("click", function (e) { e.stopPropagation(); });
          parts.push(el("span", { class: "also-in" }, [also]));
        });
        var item = el("li", { id: id + "-" + i, role: "option", "aria-selected": "false" }, parts);
        item.addEventListener("mousedown", function (e) { e.preventDefault(); });
        item.addEventListener("click", function (e) { if (e.target !== link) link.click(); });
        this.list.appendChild(item);
      }, this);
      this.list.hidden = false;
      this.status.classList.remove("refused");
      this.input.setAttribute("aria-expanded", data.results.length ? "true" : "false");
      this.status.textContent = data.total ? t.count(data.total) : t.none;
      if (data.total > data.results.length) {
        params.delete("per_page");
        this.status.appendChild(document.createTextNode(" — "));
        this.status.appendChild(el("a", { href: BASE + "/?" + params.toString(), target: "_top" }, [t.more]));
      }
    }

    clear() {
      this.list.textContent = "";
      this.status.textContent = "";
      this.active = -1;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
    }

    move(to) {
      var items = this.list.children;
      if (!items.length) return;
      if (this.active >= 0) items[this.active].setAttribute("aria-selected", "false");
      this.active = (to + items.length) % items.length;
      var item = items[this.active];
      item.setAttribute("aria-selected", "true");
      this.input.setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    }

    key(e) {
      if (e.key === "ArrowDown") { e.preventDefault(); this.move(this.active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); this.move(this.active - 1); }
      else if (e.key === "Enter" && this.active >= 0) {
        e.preventDefault();
        this.list.children[this.active].querySelector("a").click();
      } else if (e.key === "Escape") {
        e.preventDefault();
        clearTimeout(this.timer);
        if (this.controller) this.controller.abort();
        this.input.value = "";
        this.clear();
      }
    }
  }

  customElements.define("docrepo-search", DocrepoSearch);
})();

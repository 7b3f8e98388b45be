/* saidwho web: tooltips for highlights (hover and keyboard focus), keyboard jumps, upload size check. */
(function () {
  "use strict";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function setupArticle() {
    var island = document.getElementById("tips");
    var tip = document.getElementById("tip");
    var body = document.getElementById("article-text");
    if (!island || !tip || !body) return;
    var data = {};
    try { data = JSON.parse(island.textContent || "{}"); } catch (e) { data = {}; }
    var current = null;

    // the custom tooltip replaces the native one
    body.querySelectorAll(".hl[title]").forEach(function (h) {
      h.setAttribute("data-title", h.getAttribute("title"));
      h.removeAttribute("title");
      h.setAttribute("aria-describedby", "tip");
    });

    function row(dl, label, value) {
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
      dl.appendChild(el("dt", label));
      var dd = el("dd");
      if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
      dl.appendChild(dd);
    }

    function key(h) { return h.getAttribute("data-a") || h.getAttribute("data-u"); }

    function fill(h) {
      var k = key(h);
      var d = data[k];
      tip.textContent = "";
      if (!d) { tip.textContent = h.getAttribute("data-title") || ""; return; }
      var dl = el("dl");
      if (d.unattributed) {
        row(dl, "claim", "unattributed: no source in the article");
        row(dl, "why", d.reason);
      } else {
        var who = d.speaker || "unnamed source";
        if (d.href) { var a = el("a", who); a.href = d.href; who = a; }
        row(dl, "speaker", who);
        row(dl, "role", d.role);
        row(dl, "type", d.type);
        row(dl, "kind", d.kind ? d.kind.replace("_", " ") : null);
        row(dl, "medium", d.medium);
        row(dl, "chain", (d.chain || []).join(" \u2190 "));
        if (d.vague) row(dl, "source", "vague (anonymous or a group)");
        if (d.parent) row(dl, "nested in", (d.parent_speaker || "") + " (" + d.parent + ")");
        if (typeof d.confidence === "number") row(dl, "confidence", d.confidence.toFixed(2));
        row(dl, "part", h.getAttribute("data-label"));
      }
      tip.appendChild(dl);
    }

    function show(h) {
      if (current) unmark(current);
      current = h;
      fill(h);
      tip.hidden = false;
      var k = key(h);
      body.querySelectorAll('.hl[data-a="' + cssEscape(k) + '"]').forEach(function (p) { p.classList.add("active-peer"); });
      h.classList.add("active");
      var r = h.getBoundingClientRect();
      var top = window.scrollY + r.bottom + 6;
      var left = window.scrollX + r.left;
      tip.style.top = top + "px";
      var max = window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8;
      tip.style.left = Math.max(8, Math.min(left, max)) + "px";
    }

    function unmark(h) {
      body.querySelectorAll(".active, .active-peer").forEach(function (p) { p.classList.remove("active", "active-peer"); });
    }

    function hide() {
      if (current) unmark(current);
      current = null;
      tip.hidden = true;
    }

    function cssEscape(s) { return String(s).replace(/["\\]/g, "\\$&"); }

    function innermost(target) {
      return target && target.closest ? target.closest(".hl") : null;
    }

    body.addEventListener("mouseover", function (ev) { var h = innermost(ev.target); if (h) show(h); });
    body.addEventListener("mouseleave", function () { if (!body.contains(document.activeElement)) hide(); });
    tip.addEventListener("mouseleave", function () { if (!body.contains(document.activeElement)) hide(); });
    body.addEventListener("focusin", function (ev) { var h = innermost(ev.target); if (h) show(h); });
    body.addEventListener("focusout", function (ev) {
      if (!ev.relatedTarget || !body.contains(ev.relatedTarget)) hide();
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !tip.hidden) { hide(); }
    });
    // a permalink: following a highlight puts its id in the address (#hl-a3-content)
    function anchorOf(h) {
      if (h.id) return h;
      var a = h.getAttribute("data-a"), role = h.getAttribute("data-role");
      var sel = a ? '.hl.first[data-a="' + cssEscape(a) + '"][data-role="' + cssEscape(role) + '"]'
                  : '.hl.first[data-u="' + cssEscape(h.getAttribute("data-u") || "") + '"]';
      return body.querySelector(sel) || h;
    }
    function remember(h) {
      var t = anchorOf(h);
      if (t.id && window.history && history.replaceState) history.replaceState(null, "", "#" + t.id);
    }
    body.addEventListener("click", function (ev) {
      var h = innermost(ev.target);
      if (h && !(ev.target.closest && ev.target.closest("a"))) remember(h);
    });
    function arrive() {
      var id = decodeURIComponent((location.hash || "").slice(1));
      if (id.indexOf("hl-") !== 0) return;
      var t = document.getElementById(id);
      if (!t || !body.contains(t)) return;
      t.scrollIntoView({ block: "center" });
      t.focus({ preventScroll: true });
      show(t);
    }
    window.addEventListener("hashchange", arrive);
    arrive();
    body.addEventListener("keydown", function (ev) {
      var h = innermost(ev.target);
      if (!h || ev.key !== "Enter") return;
      remember(h);
      var k = h.getAttribute("data-a");
      var target = k ? document.getElementById("att-" + k) : null;
      if (target) {
        ev.preventDefault();
        var link = target.querySelector("a.jump");
        target.scrollIntoView({ block: "center" });
        if (link) link.focus();
      }
    });
    // from the list back to the text
    document.querySelectorAll('a.jump, a.claim-link, .side a[href^="#hl-"]').forEach(function (a) {
      a.addEventListener("click", function (ev) {
        var id = (a.getAttribute("href") || "").slice(1);
        var t = document.getElementById(id);
        if (t) {
          ev.preventDefault();
          if (window.history && history.replaceState) history.replaceState(null, "", "#" + id);
          t.scrollIntoView({ block: "center" });
          t.focus({ preventScroll: true });
        }
      });
    });
  }

  function setupUpload() {
    var input = document.getElementById("file");
    var hint = document.getElementById("file-hint");
    if (!input || !hint) return;
    var max = parseInt(input.getAttribute("data-max") || "0", 10);
    input.addEventListener("change", function () {
      var f = input.files && input.files[0];
      if (f && max && f.size > max) {
        hint.textContent = "This file is " + (f.size / 1048576).toFixed(1) + " MB; the limit is " + (max / 1048576).toFixed(0) + " MB.";
        input.setCustomValidity(hint.textContent);
      } else {
        hint.textContent = "";
        input.setCustomValidity("");
      }
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () { setupArticle(); setupUpload(); });
})();

// The theme's menus and back-to-top button, without Bootstrap's 81 KB script.
// pydata-sphinx-theme draws two menus (the source links and the colour mode) as
// Bootstrap dropdowns: a button with data-bs-toggle="dropdown" beside a
// .dropdown-menu list. This opens and closes them the way Bootstrap does: a click
// on the button, Escape, a click elsewhere or on an item closes; the arrow keys
// move between items. The theme's stylesheet places an open menu (.show) under
// its button when it carries data-bs-popper="static", as Bootstrap does in a navbar.
// The back-to-top button appears when the reader scrolls back up, as in the
// theme's own script (pydata-sphinx-theme 0.20.0, assets/scripts/bootstrap.js).
(function () {
  "use strict";
  var TOGGLE = '[data-bs-toggle="dropdown"]';

  function menuOf(toggle) {
    return toggle.parentElement && toggle.parentElement.querySelector(".dropdown-menu");
  }

  function items(menu) {
    return Array.prototype.filter.call(
      menu.querySelectorAll(".dropdown-item"),
      function (item) { return item.offsetParent !== null; }
    );
  }

  function setOpen(toggle, open) {
    var menu = menuOf(toggle);
    if (!menu) return;
    toggle.classList.toggle("show", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("show", open);
    if (open) menu.setAttribute("data-bs-popper", "static");
  }

  function closeAll(except) {
    document.querySelectorAll(TOGGLE + '[aria-expanded="true"]').forEach(function (toggle) {
      if (toggle !== except) setOpen(toggle, false);
    });
  }

  function init() {
    document.querySelectorAll(TOGGLE).forEach(function (toggle) {
      toggle.setAttribute("aria-expanded", "false");
      toggle.addEventListener("click", function (event) {
        event.preventDefault();
        var open = toggle.getAttribute("aria-expanded") !== "true";
        closeAll(toggle);
        setOpen(toggle, open);
      });
      var menu = menuOf(toggle);
      if (!menu) return;
      // A chosen item closes its menu, as Bootstrap's default (autoClose: true) does.
      menu.addEventListener("click", function (event) {
        if (event.target.closest(".dropdown-item")) setOpen(toggle, false);
      });
      toggle.parentElement.addEventListener("keydown", function (event) {
        var open = toggle.getAttribute("aria-expanded") === "true";
        if (event.key === "Escape" && open) {
          setOpen(toggle, false);
          toggle.focus();
        } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          if (!open) setOpen(toggle, true);
          var list = items(menu);
          if (!list.length) return;
          var at = list.indexOf(document.activeElement);
          var step = event.key === "ArrowDown" ? 1 : -1;
          var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + step));
          list[next].focus();
        }
      });
      // Leaving the menu with Tab closes it.
      toggle.parentElement.addEventListener("focusout", function (event) {
        if (!toggle.parentElement.contains(event.relatedTarget)) setOpen(toggle, false);
      });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".dropdown")) closeAll(null);
    });

    var top = document.getElementById("pst-back-to-top");
    var header = document.querySelector(".bd-header");
    if (top && header) {
      top.addEventListener("click", function () {
        document.body.scrollTop = 0;
        document.documentElement.scrollTop = 0;
      });
      var last = window.scrollY;
      var below = header.getBoundingClientRect().bottom;
      window.addEventListener("scroll", function () {
        top.style.display = last > window.scrollY && window.scrollY > below ? "block" : "none";
        last = window.scrollY;
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

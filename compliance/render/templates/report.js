// Filters and popovers. Marked elements carry data-f, the numbers of the findings covering them;
// a finding is shown while its list item is not hidden, so the list is the one filter state.
(() => {
  "use strict";
  const ORDER = ["critical", "major", "minor", "info"];
  const items = new Map();
  for (const li of document.querySelectorAll("li.finding")) items.set(li.dataset.id, li);
  const marked = document.querySelectorAll("#draft [data-f]");
  const boxes = document.querySelectorAll("input.filter");
  const popover = document.getElementById("popover");

  const shown = (id) => !items.get(id).hidden;
  const worst = (ids) => ORDER[Math.min(...ids.map((id) => ORDER.indexOf(items.get(id).dataset.severity)))];

  function closePopover() {
    popover.hidden = true;
    for (const li of document.querySelectorAll("li.finding.current")) li.classList.remove("current");
  }

  function applyFilters() {
    const on = { severity: new Set(), family: new Set() };
    for (const box of boxes) if (box.checked) on[box.name].add(box.value);
    let count = 0;
    for (const li of items.values()) {
      li.hidden = !(on.severity.has(li.dataset.severity) && on.family.has(li.dataset.family));
      if (!li.hidden) count += 1;
    }
    for (const group of document.querySelectorAll(".part-group")) {
      group.hidden = !group.querySelector("li.finding:not([hidden])");
    }
    for (const element of marked) {
      const ids = element.dataset.f.split(" ").filter(shown);
      for (const severity of ORDER) element.classList.remove("sev-" + severity);
      element.classList.toggle("off", ids.length === 0);
      if (ids.length) element.classList.add("sev-" + worst(ids));
    }
    document.getElementById("shown-count").textContent = count;
    closePopover();
  }

  // The popover shows copies of the list items' own nodes: no markup is built from text here.
  function openPopover(anchor) {
    closePopover();
    popover.replaceChildren();
    for (const id of anchor.dataset.f.split(" ").filter(shown)) {
      const li = items.get(id);
      const card = document.createElement("div");
      card.className = "card sev-" + li.dataset.severity;
      card.append(li.querySelector(".head").cloneNode(true), li.querySelector(".detail").cloneNode(true));
      const link = document.createElement("a");
      link.href = "#finding-" + id;
      link.textContent = "在问题列表中查看";
      card.append(link);
      popover.append(card);
      li.classList.add("current");
    }
    popover.hidden = false;
    const box = anchor.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    popover.style.top = window.scrollY + box.bottom + 6 + "px";
    popover.style.left = window.scrollX + Math.max(8, Math.min(box.left, width - popover.offsetWidth - 8)) + "px";
  }

  for (const box of boxes) box.addEventListener("change", applyFilters);
  document.addEventListener("click", (event) => {
    if (event.target.closest("#popover")) {
      if (event.target.closest("a")) popover.hidden = true;
      return;
    }
    const mark = event.target.closest("#draft [data-f]:not(.off)");
    if (mark) {
      event.preventDefault();
      openPopover(mark);
    } else {
      closePopover();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePopover();
  });
})();

// newsletter serve: the review page. j/k (or Alt+↓/↑) move between units, Ctrl+Enter saves the current one,
// f toggles "needs a look". A save is a POST carrying this run's token; the server checks placeholders.
(function () {
  "use strict";
  const token = document.querySelector('meta[name="newsletter-token"]').content;
  const units = () => Array.from(document.querySelectorAll(".unit")).filter((u) => u.offsetParent !== null);
  let current = 0;

  function focusUnit(index) {
    const list = units();
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    document.querySelectorAll(".unit.current").forEach((u) => u.classList.remove("current"));
    list[current].classList.add("current");
    list[current].querySelector("textarea").focus();
    list[current].scrollIntoView({ block: "center" });
  }

  async function save(unit) {
    const status = unit.querySelector(".status");
    const area = unit.querySelector("textarea");
    status.className = "status";
    status.textContent = "saving…";
    const response = await fetch(location.pathname, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Newsletter-Token": token },
      body: JSON.stringify({ unit: unit.dataset.unit, translation: area.value }),
    });
    const answer = await response.json().catch(() => ({ error: response.statusText }));
    if (response.ok) {
      delete area.dataset.dirty;
      status.className = "status status-ok";
      status.textContent = "saved in " + (answer.stored || "the review file") + " — rebuilding";
      unit.querySelector(".origin").textContent = "human";
      unit.querySelector(".origin").className = "origin origin-human";
    } else {
      status.className = "status status-error";
      status.textContent = answer.error || "not saved";
    }
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches(".unit textarea")) event.target.dataset.dirty = "true";
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".save");
    if (button) save(button.closest(".unit"));
  });
  document.addEventListener("focusin", (event) => {
    const unit = event.target.closest(".unit");
    if (unit) current = units().indexOf(unit);
  });
  document.getElementById("only-flagged").addEventListener("change", (event) => {
    document.body.classList.toggle("only-flagged", event.target.checked);
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.matches("textarea, input");
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      const unit = event.target.closest(".unit") || units()[current];
      if (unit) { event.preventDefault(); save(unit); }
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      focusUnit(current + (event.key === "ArrowDown" ? 1 : -1));
    } else if (!typing && (event.key === "j" || event.key === "k")) {
      event.preventDefault();
      focusUnit(current + (event.key === "j" ? 1 : -1));
    } else if (!typing && event.key === "f") {
      const box = document.getElementById("only-flagged");
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change"));
    }
  });
})();

// SPICO page behaviour for EXI-WEB-INACTIVITE and BP-SANS-MAINTIEN.
// The server owns the session. The page (1) asks the server when its own inactivity
// deadline passes and removes patient data if the session is over, (2) polls for
// notifications without that counting as activity, (3) tells the server about real user
// input (keys, pointer), which is activity.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("session-config").textContent);
  const ACTIVITY_PING_MS = 60 * 1000;
  let deadlineTimer = null;
  let pollTimer = null;
  let lastPing = Date.now();

  // The page stays where it is (no navigation), but nothing of the patients remains:
  // the content is replaced by the "session expired" notice the server rendered.
  function endScreen() {
    clearTimeout(deadlineTimer);
    clearInterval(pollTimer);
    const main = document.getElementById("contenu");
    const notice = document.getElementById("session-expiree");
    if (main) main.replaceChildren(notice ? notice.content.cloneNode(true) : "");
    document.title = "Session expirée — SPICO";
  }

  function arm(ms) {
    clearTimeout(deadlineTimer);
    deadlineTimer = setTimeout(checkSession, Math.max(ms, 0));
  }

  async function checkSession() {
    let status;
    try {
      const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401) return endScreen();
      status = await response.json();
    } catch (error) {
      return arm(30 * 1000); // server unreachable: look again shortly, keep nothing secret shown longer
    }
    if (!status.active || status.remaining <= 0) return endScreen();
    arm(status.remaining * 1000);
  }

  async function poll() {
    try {
      const response = await fetch("/api/notifications", { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401) return endScreen();
      const data = await response.json();
      const badge = document.getElementById("taches");
      if (badge) badge.textContent = data.taches ? `${data.taches} tâche(s)` : "";
    } catch (error) {
      /* network hiccup: the next poll will tell */
    }
  }

  function userActivity() {
    arm(config.delai * 1000);
    if (Date.now() - lastPing < ACTIVITY_PING_MS) return;
    lastPing = Date.now();
    fetch("/api/activite", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": config.csrf },
    }).catch(() => {});
  }

  function setUpMenu() {
    const button = document.querySelector(".user-menu > button");
    const menu = document.getElementById("menu-utilisateur");
    if (!button || !menu) return;
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      menu.hidden = open;
    });
  }

  setUpMenu();
  if (config.verifie) {
    arm(config.delai * 1000);
    pollTimer = setInterval(poll, config.interrogation * 1000);
    for (const type of ["keydown", "pointerdown"]) {
      document.addEventListener(type, userActivity, { passive: true });
    }
  } else {
    // Bent rule (fault "expiration-serveur-seulement"): the page never looks at the session.
    pollTimer = setInterval(() => fetch("/api/notifications").catch(() => {}), config.interrogation * 1000);
  }
})();

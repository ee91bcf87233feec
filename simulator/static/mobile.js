// SPICO mobile: the guide's screens, from activation to the patient list.
//
// What stays on the phone lives in localStorage (the device id and token, whether a
// fingerprint or face is enrolled, the recently opened records). The unlocked session
// lives in memory only: closing the app loses it, and reopening brings back the PIN
// screen (EXI-MOB-VERROUILLAGE). A reset wipes the phone's storage
// (EXI-MOB-REINITIALISATION). The rules that live on the phone come in `rules`.
"use strict";

(function () {
  const rules = JSON.parse(document.getElementById("app-config").textContent);
  const DEVICE = "spico.appareil";
  const RECENTS = "spico.recents";
  const SESSION = "spico.session"; // only when a fault bends the rule: the app stays unlocked
  let activation = null;
  let session = null;
  let pin = "";

  const $ = (id) => document.getElementById(id);
  const stored = (key, fallback) => JSON.parse(localStorage.getItem(key) || "null") ?? fallback;
  const store = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  function show(screen) {
    for (const section of document.querySelectorAll(".screen")) {
      section.hidden = section.id !== screen;
    }
  }

  function say(message, kind = "erreur") {
    $("erreur").hidden = true;
    $("avis").hidden = true;
    if (message) {
      $(kind).textContent = message;
      $(kind).hidden = false;
    }
  }

  async function api(path, body, method = "POST") {
    const headers = { "Content-Type": "application/json" };
    if (session) headers.Authorization = `Bearer ${session}`;
    const response = await fetch(path, {
      method,
      headers,
      body: method === "GET" ? undefined : JSON.stringify(body || {}),
    });
    const data = response.status === 204 ? {} : await response.json();
    return { ok: response.ok, status: response.status, data };
  }

  // -- activation (EXI-MOB-ACTIVATION) ------------------------------------------------

  function startActivation(notice) {
    activation = null;
    session = null;
    show("ecran-activation");
    say(notice, "avis");
  }

  // Each answer replaces the previous one: a message still on screen is never stale.
  $("form-activation").addEventListener("submit", async (event) => {
    event.preventDefault();
    say("");
    const { ok, data } = await api("/api/activation", {
      identifiant: $("identifiant").value,
      mot_de_passe: $("mot-de-passe").value,
    });
    if (!ok) return say(data.erreur);
    say("");
    activation = data.activation;
    $("adresse-email").textContent = data.email;
    $("numero-sms").textContent = data.telephone;
    show(data.etape === "pin" ? "ecran-creation-pin" : "ecran-canal");
  });

  for (const button of document.querySelectorAll("[data-canal]")) {
    button.addEventListener("click", async () => {
      const { ok, data } = await api("/api/activation/code/envoi", {
        activation,
        canal: button.dataset.canal,
      });
      if (!ok) return say(data.erreur);
      say(`Code envoyé par ${data.canal === "email" ? "e-mail" : "SMS"}.`, "avis");
      show("ecran-code");
    });
  }

  $("form-code").addEventListener("submit", async (event) => {
    event.preventDefault();
    say("");
    const { ok, data } = await api("/api/activation/code", { activation, code: $("code").value });
    $("code").value = "";
    if (!ok) return say(data.erreur);
    say("");
    show("ecran-creation-pin");
  });

  $("form-creation-pin").addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = $("nouveau-pin").value;
    const confirmed = $("confirmation-pin").value;
    $("nouveau-pin").value = "";
    $("confirmation-pin").value = "";
    if (!/^[0-9]{4}$/.test(chosen)) return say("Le code PIN doit comporter 4 chiffres.");
    if (chosen !== confirmed) return say("Les deux codes PIN ne sont pas identiques.");
    const { ok, data } = await api("/api/appareils", { activation, pin: chosen });
    if (!ok) return say(data.erreur);
    say("");
    activation = null;
    store(DEVICE, { appareil: data.appareil, jeton: data.jeton, biometrie: false });
    opened(data);
    show("ecran-biometrie");
  });

  // -- fingerprint or face (WebAuthn platform credential) --------------------------------

  async function enrolBiometrics() {
    const device = stored(DEVICE, null);
    const options = await api("/api/biometrie/inscription/options", { jeton: device.jeton });
    if (!options.ok) return say(options.data.erreur);
    try {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options.data);
      const credential = await navigator.credentials.create({ publicKey });
      const { ok, data } = await api("/api/biometrie/inscription", {
        jeton: device.jeton,
        credential: credential.toJSON(),
      });
      if (!ok) return say(data.erreur);
      store(DEVICE, { ...device, biometrie: true });
      say("Empreinte ou visage enregistré.", "avis");
      showPatients();
    } catch (error) {
      say("L'empreinte ou le visage n'a pas pu être enregistré.");
    }
  }

  $("activer-biometrie").addEventListener("click", enrolBiometrics);
  $("inscrire-biometrie").addEventListener("click", enrolBiometrics);

  $("plus-tard").addEventListener("click", () => {
    say("");
    showPatients();
  });

  // -- the PIN screen (EXI-MOB-VERROUILLAGE, BP-PIN-ESSAIS) -------------------------------

  function lock() {
    session = null;
    pin = "";
    drawPin();
    $("biometrie").hidden = !stored(DEVICE, {}).biometrie;
    show("ecran-pin");
  }

  function drawPin() {
    $("points").textContent = "●".repeat(pin.length) + "○".repeat(4 - pin.length);
    $("points").setAttribute("aria-label", `${pin.length} chiffre(s) saisi(s) sur 4`);
  }

  function refused(status, data) {
    if (status === 410 || data.reinitialise) {
      wipe();
      return startActivation(data.erreur);
    }
    say(data.erreur);
  }

  async function submitPin() {
    const device = stored(DEVICE, {});
    const typed = pin;
    pin = "";
    drawPin();
    say("");
    const { ok, status, data } = await api("/api/deverrouillage", { ...device, pin: typed });
    if (!ok) return refused(status, data);
    say("");
    opened(data);
    showPatients();
  }

  for (const key of document.querySelectorAll("[data-chiffre]")) {
    key.addEventListener("click", () => {
      if (pin.length >= 4) return;
      pin += key.dataset.chiffre;
      drawPin();
      if (pin.length === 4) submitPin();
    });
  }

  $("effacer").addEventListener("click", () => {
    pin = pin.slice(0, -1);
    drawPin();
  });

  $("biometrie").addEventListener("click", async () => {
    say("");
    const device = stored(DEVICE, {});
    const challenge = await api("/api/biometrie/defi", device);
    if (!challenge.ok) return refused(challenge.status, challenge.data);
    let assertion;
    try {
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(challenge.data);
      assertion = await navigator.credentials.get({ publicKey });
    } catch (error) {
      return say("Empreinte ou visage non reconnu. Saisissez votre code PIN.");
    }
    const { ok, status, data } = await api("/api/biometrie/deverrouillage", {
      ...device,
      assertion: assertion.toJSON(),
    });
    if (!ok) return refused(status, data);
    say("");
    opened(data);
    showPatients();
  });

  // -- reset (EXI-MOB-REINITIALISATION, EXI-MOB-NOUVEAU-COMPTE) --------------------------

  function wipe() {
    localStorage.removeItem(DEVICE);
    localStorage.removeItem(SESSION);
    if (rules.efface_le_telephone) localStorage.removeItem(RECENTS);
  }

  $("reinitialiser").addEventListener("click", () => $("dialogue-reinitialisation").showModal());
  $("annuler").addEventListener("click", () => $("dialogue-reinitialisation").close());
  $("confirmer-reinitialisation").addEventListener("click", async () => {
    $("dialogue-reinitialisation").close();
    await api("/api/reinitialisation", stored(DEVICE, {}));
    wipe();
    startActivation("Un nouveau compte peut être connecté à l'application.");
  });

  // -- unlocked: the patient list -------------------------------------------------------

  function opened(data) {
    session = data.session;
    $("bonjour").textContent = `Bonjour ${data.compte}`;
    if (!rules.verrouille_a_la_fermeture) store(SESSION, data);
  }

  const frenchDate = (iso) => iso.split("-").reverse().join("/");

  function patientItem(patient) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = patient.identite;
    button.setAttribute("aria-label", patient.identite);
    button.addEventListener("click", () => openRecord(patient.id));
    item.append(button);
    return item;
  }

  async function showPatients() {
    const { ok, status, data } = await api("/api/patients", null, "GET");
    if (!ok) return status === 401 ? lock() : say(data.erreur);
    $("liste-patients").replaceChildren(...data.patients.map(patientItem));
    const recents = stored(RECENTS, []);
    $("recents").replaceChildren(...recents.map(patientItem));
    $("recents-zone").hidden = recents.length === 0;
    $("inscrire-biometrie").hidden = Boolean(stored(DEVICE, {}).biometrie);
    show("ecran-patients");
  }

  async function openRecord(id) {
    const { ok, status, data } = await api(`/api/patients/${id}`, null, "GET");
    if (!ok) return status === 401 ? lock() : say(data.erreur);
    const recents = stored(RECENTS, []).filter((p) => p.id !== data.id);
    store(RECENTS, [{ id: data.id, identite: data.identite }, ...recents].slice(0, 5));
    $("dossier-identite").textContent = data.identite;
    const rows = [
      ["Date de naissance", frenchDate(data.naissance)],
      ["Statut", data.statut],
      ["Prochain RDV", data.prochain_rdv ? frenchDate(data.prochain_rdv) : "—"],
    ];
    $("dossier-details").replaceChildren(
      ...rows.flatMap(([term, value]) => {
        const dt = document.createElement("dt");
        const dd = document.createElement("dd");
        dt.textContent = term;
        dd.textContent = value;
        return [dt, dd];
      }),
    );
    say("");
    show("ecran-dossier");
  }

  $("retour").addEventListener("click", showPatients);

  // -- start: activation, or the PIN screen --------------------------------------------

  async function start() {
    if (!stored(DEVICE, null)) return startActivation();
    const kept = !rules.verrouille_a_la_fermeture && stored(SESSION, null);
    if (kept) {
      opened(kept);
      return showPatients();
    }
    lock();
  }

  start();
})();

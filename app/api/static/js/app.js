// Start-up and wiring: sign-in, language, tabs, and the enterprise / chat / details panels.
import { Api } from "./api.js";
import { Chat } from "./chat.js";
import { $, clear, h } from "./dom.js";
import { EnterprisePicker } from "./enterprise.js";
import { dateTime } from "./format.js";
import { applyI18n, lang, onLangChange, setLang, t } from "./i18n.js";
import { matchGroups } from "./matches.js";
import { profileView } from "./profile.js";
import { sourceView } from "./source.js";

const KEY_STORAGE = "sme.apiKey";
const state = { api: null, profile: null, matches: null, citation: null, citationN: null, loadedFor: null };
let picker = null;
let chat = null;

function show(signedIn) {
  $("#sign-in-view").hidden = signedIn;
  $("#app-view").hidden = !signedIn;
  $("#sign-out").hidden = !signedIn;
}

async function signIn(key, { silent = false } = {}) {
  const error = $("#sign-in-error");
  const api = new Api(key, (exc) => signOut(t("session_expired", { message: exc.message })));
  try {
    await api.get("/v1/enterprises?limit=1");
  } catch (exc) {
    sessionStorage.removeItem(KEY_STORAGE);
    show(false);
    error.textContent = silent ? "" : t("key_rejected", { message: exc.message });
    $("#api-key-input").focus();
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  state.api = api;
  error.textContent = "";
  show(true);
  start(api);
}

function signOut(message = "") {
  sessionStorage.removeItem(KEY_STORAGE);
  chat?.stop();
  state.api = null;
  show(false);
  $("#api-key-input").value = "";
  $("#sign-in-error").textContent = message;
  $("#api-key-input").focus();
}

function start(api) {
  if (picker) {
    picker.api = api;
    chat.api = api;
  } else {
    build(api);
  }
  picker.refresh("").then(() => selectEnterprise(null)).catch(() => {});
  refreshConversations();
}

function build(api) {
  picker = new EnterprisePicker({
    api, select: $("#enterprise-select"), newButton: $("#new-enterprise"), addButton: $("#add-documents"),
    form: $("#upload-form"), status: $("#upload-status"), onChange: (id, profile) => selectEnterprise(id, profile),
  });
  chat = new Chat({
    api, log: $("#messages"), form: $("#composer"), input: $("#composer-input"), send: $("#send"),
    suggestions: $("#suggestions"), enterprise: () => picker.current,
    onCitation: (citation, n) => showSource(citation, n), onConversation: () => refreshConversations(),
  });
}

async function selectEnterprise(id, profile = null) {
  $("#add-documents").disabled = !id;
  state.matches = null;
  renderMatches();
  chat.reset();
  renderContext();
  state.loadedFor = id;
  state.profile = profile;
  if (!id) return renderProfile();
  if (profile) return renderProfile();
  clear($("#panel-profile")).append(h("p", { class: "muted", text: t("loading") }));
  try {
    const loaded = await state.api.get(`/v1/enterprises/${encodeURIComponent(id)}`);
    if (state.loadedFor === id) state.profile = loaded;
    renderProfile();
  } catch (exc) {
    clear($("#panel-profile")).append(h("p", { class: "form-error", text: t("load_failed", { message: exc.message }) }));
  }
}

function renderContext() {
  const id = picker?.current;
  $("#chat-context").textContent = id ? t("chat_about", { name: picker.nameOf(id) }) : t("chat_general");
}

function renderProfile() {
  const panel = clear($("#panel-profile"));
  panel.append(state.profile ? profileView(state.profile) : h("p", { class: "muted", text: t("no_profile") }));
}

async function findMatches() {
  const id = picker.current;
  const out = clear($("#match-results"));
  if (!id) return out.append(h("p", { class: "muted", text: t("need_enterprise") }));
  const kind = $("#match-kind").value;
  out.append(h("p", { class: "muted", text: t("loading") }));
  try {
    const body = await state.api.post("/v1/match", { enterprise_id: id, k: 12, ...(kind ? { kinds: [kind] } : {}) });
    state.matches = body.matches ?? [];
  } catch (exc) {
    state.matches = null;
    return clear(out).append(h("p", { class: "form-error", role: "alert", text: t("load_failed", { message: exc.message }) }));
  }
  renderMatches();
}

function renderMatches() {
  const out = clear($("#match-results"));
  if (state.matches === null) return;
  out.append(state.matches.length ? matchGroups(state.matches) : h("p", { class: "muted", text: t("no_matches") }));
}

function showSource(citation, n) {
  state.citation = citation;
  state.citationN = n;
  renderSource();
  selectTab($("#tab-source"));
  $("#source-title")?.focus();
}

function renderSource() {
  clear($("#panel-source")).append(sourceView(state.citation, state.citationN));
}

async function refreshConversations() {
  const list = clear($("#conversation-list"));
  let body;
  try {
    body = await state.api.get("/v1/conversations");
  } catch {
    return list.append(h("li", { class: "muted", text: t("conversations_unavailable") }));
  }
  const items = body?.conversations ?? [];
  if (!items.length) return list.append(h("li", { class: "muted", "data-i18n": "no_conversations", text: t("no_conversations") }));
  for (const c of items) {
    const current = c.conversation_id === chat.conversationId;
    list.append(h("li", {}, h("button", {
      type: "button", class: "conversation", "aria-current": current ? "true" : null,
      onclick: () => openConversation(c) },
      h("span", { class: "conversation-title", text: c.title || t("untitled") }),
      h("span", { class: "muted conversation-date", text: dateTime(c.updated_at) }))));
  }
}

async function openConversation(c) {
  if (c.enterprise_id !== undefined && (c.enterprise_id || null) !== picker.current) {
    picker.renderOptions(c.enterprise_id || "");
    await selectEnterprise(picker.current);
  }
  try {
    await chat.load(c.conversation_id);
  } catch (exc) {
    $("#messages").append(h("p", { class: "form-error", role: "alert", text: t("load_failed", { message: exc.message }) }));
  }
  refreshConversations();
}

// Tabs follow the WAI-ARIA pattern: arrow keys move between tabs, only the selected one is tabbable.
function selectTab(tab) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(`#${other.getAttribute("aria-controls")}`).hidden = !selected;
  }
}

function wireTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      const target = tabs[(next + tabs.length) % tabs.length];
      selectTab(target);
      target.focus();
    });
  }
}

function rerender() {
  if (!state.api) return;
  renderContext();
  renderProfile();
  renderMatches();
  renderSource();
  refreshConversations();
}

function main() {
  applyI18n(document);
  const langSelect = $("#lang-select");
  langSelect.value = lang();
  langSelect.addEventListener("change", () => setLang(langSelect.value));
  onLangChange(rerender);
  wireTabs();
  $("#find-matches").addEventListener("click", () => findMatches());
  $("#new-conversation").addEventListener("click", () => {
    chat?.reset();
    refreshConversations();
    $("#composer-input").focus();
  });
  $("#sign-out").addEventListener("click", () => signOut());
  $("#sign-in-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const key = $("#api-key-input").value.trim();
    if (!key) return void ($("#sign-in-error").textContent = t("key_required"));
    signIn(key);
  });
  renderSource();
  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) signIn(saved, { silent: true });
  else show(false);
}

main();

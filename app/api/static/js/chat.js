// The conversation: streamed answers, inline citation markers, match cards and feedback.
import { clear, h, icon } from "./dom.js";
import { t } from "./i18n.js";
import { matchGroups } from "./matches.js";

const THUMB_UP = "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z";
const THUMB_DOWN = "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z";
const MARKER = /\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]/g;

export class Chat {
  constructor({ api, log, form, input, send, suggestions, onCitation, enterprise, onConversation }) {
    Object.assign(this, { api, log, form, input, send, suggestions, onCitation, enterprise, onConversation });
    this.conversationId = null;
    this.history = [];
    this.controller = null;
    form.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.submit(); }
    });
    this.reset();
  }

  reset() {
    this.stop();
    this.conversationId = null;
    this.history = [];
    clear(this.log).append(h("p", { class: "empty-chat muted", "data-i18n": "empty_chat", text: t("empty_chat") }));
    this.renderSuggestions();
  }

  renderSuggestions() {
    const keys = this.enterprise() ? ["suggest_revenue", "suggest_match", "suggest_ip"] : ["suggest_ip"];
    clear(this.suggestions).setAttribute("aria-label", t("suggestions"));
    this.suggestions.hidden = this.history.length > 0;
    for (const key of keys) {
      this.suggestions.append(h("button", { type: "button", class: "chip chip-button", "data-i18n": key, text: t(key),
        onclick: (e) => this.ask(e.currentTarget.textContent) }));
    }
  }

  submit() {
    if (this.controller) return this.stop();
    const text = this.input.value.trim();
    if (!text) return this.input.focus();
    this.input.value = "";
    this.ask(text);
  }

  stop() {
    if (this.controller) this.controller.abort();
  }

  async ask(text) {
    if (this.controller) return;
    this.log.querySelector(".empty-chat")?.remove();
    this.suggestions.hidden = true;
    this.log.append(userMessage(text));
    this.history.push({ role: "user", content: text });
    const reply = new Reply(this);
    this.log.append(reply.el);
    this.scroll(true);
    this.busy(true);
    try {
      const body = { messages: this.history, enterprise_id: this.enterprise(), conversation_id: this.conversationId };
      for await (const { event, data } of this.api.chat(body, this.controller.signal)) reply.on(event, data);
      reply.end();
    } catch (exc) {
      reply.fail(exc.name === "AbortError" ? t("stopped") : t("chat_error", { message: exc.message }));
    } finally {
      if (reply.text) this.history.push({ role: "assistant", content: reply.text });
      this.busy(false);
    }
  }

  busy(on) {
    this.controller = on ? new AbortController() : null;
    this.send.dataset.i18n = on ? "stop" : "send";
    this.send.textContent = t(this.send.dataset.i18n);
    this.send.classList.toggle("btn-danger", on);
    this.log.setAttribute("aria-busy", String(on));
    if (!on) this.input.focus();
  }

  atBottom() {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
  }

  scroll(force = false) {
    if (force || this.stick) this.log.scrollTop = this.log.scrollHeight;
  }

  async load(conversationId) {
    this.stop();
    const body = await this.api.get(`/v1/conversations/${encodeURIComponent(conversationId)}`);
    this.reset();
    this.conversationId = conversationId;
    this.log.querySelector(".empty-chat")?.remove();
    this.suggestions.hidden = true;
    for (const m of body.messages ?? []) {
      if (m.role === "user") this.log.append(userMessage(m.content));
      else if (m.role === "assistant") this.log.append(Reply.restore(this, m).el);
      this.history.push({ role: m.role, content: m.content });
    }
    this.scroll(true);
  }
}

function userMessage(text) {
  return h("div", { class: "message message-user" },
    h("span", { class: "message-role", "data-i18n": "you", text: t("you") }),
    h("div", { class: "bubble pre", text }));
}

// One assistant answer, filled in as events arrive.
class Reply {
  constructor(chat) {
    this.chat = chat;
    this.text = "";
    this.citations = new Map();
    this.matches = [];
    this.done = false;
    this.frame = 0;
    this.body = h("div", { class: "bubble answer pre" },
      h("span", { class: "thinking muted", "data-i18n": "thinking", text: t("thinking") }));
    this.extras = h("div", { class: "answer-extras" });
    this.el = h("div", { class: "message message-assistant" },
      h("span", { class: "message-role", "data-i18n": "assistant", text: t("assistant") }), this.body, this.extras);
  }

  static restore(chat, m) {
    const reply = new Reply(chat);
    for (const c of m.citations ?? []) reply.citations.set(Number(c.n), c);
    reply.matches = m.matches ?? [];
    reply.text = m.content ?? "";
    reply.finish({ message_id: m.message_id, conversation_id: chat.conversationId });
    return reply;
  }

  on(event, data) {
    if (event === "token") this.text += data?.text ?? "";
    else if (event === "reset") this.text = "";  // the grounded answer replaces the model's
    else if (event === "citation" && data) this.citations.set(Number(data.n), data);
    else if (event === "match" && data) this.matches.push(data);
    else if (event === "done") return this.finish(data ?? {});
    else if (event === "error") return this.fail(t("chat_error", { message: data?.message ?? data?.code ?? "" }));
    this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.chat.stick = this.chat.atBottom();
      this.render();
      this.chat.scroll();
    });
  }

  render() {
    clear(this.body).append(...answerNodes(this.text, (n) => this.cite(n)));
  }

  cite(n) {
    this.chat.onCitation(this.citations.get(n) ?? null, n);
  }

  finish(done) {
    this.done = true;
    if (typeof done.answer === "string" && done.answer) this.text = done.answer;
    if (done.conversation_id) {
      this.chat.conversationId = done.conversation_id;
      this.chat.onConversation(done.conversation_id);
    }
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.chat.stick = this.chat.atBottom();
    this.render();
    this.el.dataset.state = "done";
    clear(this.extras).append(...[sourcesList(this.citations, (n) => this.cite(n)),
      this.matches.length ? matchesBlock(this.matches) : null,
      done.message_id ? feedback(this.chat.api, done.conversation_id ?? this.chat.conversationId, done.message_id) : null,
    ].filter(Boolean));
    this.chat.scroll();
  }

  end() {
    if (!this.done) this.fail(t("stream_interrupted"));
  }

  fail(message) {
    this.done = true;
    this.render();
    this.el.dataset.state = "error";
    this.extras.append(h("p", { class: "form-error", role: "alert", text: message }));
  }
}

// The answer as text nodes, with each [n] marker a button that opens source n.
function answerNodes(text, onCite) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    nodes.push(text.slice(last, match.index));
    for (const n of match[1].split(/\s*[,，、]\s*/).map(Number)) {
      nodes.push(h("button", { type: "button", class: "cite", "data-n": n, "aria-label": t("citation_label", { n }),
        text: `[${n}]`, onclick: () => onCite(n) }));
    }
    last = match.index + match[0].length;
  }
  nodes.push(text.slice(last));
  return nodes.filter((n) => n !== "");
}

function sourcesList(citations, onCite) {
  if (!citations.size) return null;
  const sorted = [...citations.entries()].sort((a, b) => a[0] - b[0]);
  return h("details", { class: "sources", open: true },
    h("summary", { "data-i18n": "sources", text: t("sources") }),
    h("ol", { class: "source-list" }, sorted.map(([n, c]) => h("li", {},
      h("button", { type: "button", class: "link", "aria-label": t("open_source", { n, title: c.title || c.doc_id || "" }),
        onclick: () => onCite(n) },
        h("span", { class: "cite-n", text: `[${n}]` }), ` ${c.title || c.doc_id || "—"}`,
        c.page ? h("span", { class: "muted", text: ` · ${t("page", { page: c.page })}` }) : null)))));
}

function matchesBlock(matches) {
  return h("details", { class: "answer-matches", open: true },
    h("summary", { text: t("matches_in_answer", { count: matches.length }) }), matchGroups(matches, { compact: true }));
}

function feedback(api, conversationId, messageId) {
  const status = h("p", { class: "feedback-status muted", role: "status" });
  const comment = h("textarea", { rows: "2", class: "feedback-comment" });
  const form = h("form", { class: "feedback-form", hidden: true },
    h("label", {}, h("span", { "data-i18n": "feedback_comment", text: t("feedback_comment") }), comment),
    h("button", { type: "submit", class: "btn btn-small btn-primary", "data-i18n": "send_feedback", text: t("send_feedback") }));
  let rating = null;
  const thumb = (value, path, key) => h("button", {
    type: "button", class: "thumb", "aria-pressed": "false", "aria-label": t(key), title: t(key), "data-rating": value,
    onclick: (e) => {
      rating = value;
      row.querySelectorAll(".thumb").forEach((b) => b.setAttribute("aria-pressed", String(b === e.currentTarget)));
      form.hidden = false;
      comment.focus();
    } }, icon(path));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api.post("/v1/feedback", { conversation_id: conversationId, message_id: messageId, rating,
        comment: comment.value.trim() });
      form.hidden = true;
      row.querySelectorAll(".thumb").forEach((b) => { b.disabled = true; });
      status.textContent = t("feedback_thanks");
    } catch (exc) {
      status.textContent = t("feedback_failed", { message: exc.message });
    }
  });
  const row = h("div", { class: "feedback", role: "group", "aria-label": t("feedback_prompt") },
    h("span", { class: "muted", "data-i18n": "feedback_prompt", text: t("feedback_prompt") }),
    thumb("up", THUMB_UP, "helpful"), thumb("down", THUMB_DOWN, "not_helpful"));
  return h("div", { class: "feedback-wrap" }, row, form, status);
}

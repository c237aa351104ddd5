// Choosing an enterprise, creating one from its documents, and adding documents to it, with
// upload progress and the per-file ingestion outcome.
import { clear, h } from "./dom.js";
import { t } from "./i18n.js";

const ENTERPRISE_ID = /^[\p{L}\p{N}_.-]{1,128}$/u;

export function slug(name) {
  const base = name.trim().toLowerCase().normalize("NFKC").replace(/[^\p{L}\p{N}_.-]+/gu, "-")
    .replace(/^[-.]+|[-.]+$/g, "").slice(0, 64);
  return base || `enterprise-${Date.now().toString(36)}`;
}

export class EnterprisePicker {
  constructor({ api, select, newButton, addButton, form, status, onChange }) {
    Object.assign(this, { api, select, newButton, addButton, form, status, onChange });
    this.list = [];
    this.mode = null;
    select.addEventListener("change", () => this.onChange(select.value || null));
    newButton.addEventListener("click", () => this.toggle("create"));
    addButton.addEventListener("click", () => this.toggle("add"));
    form.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
  }

  get current() { return this.select.value || null; }

  async refresh(selected = this.current) {
    const body = await this.api.get("/v1/enterprises?limit=1000");
    this.list = body.enterprises ?? [];
    this.renderOptions(selected);
  }

  renderOptions(selected) {
    clear(this.select).append(h("option", { value: "", "data-i18n": "no_enterprise", text: t("no_enterprise") }));
    for (const e of this.list) {
      const label = e.name && e.name !== e.enterprise_id ? `${e.name} (${e.enterprise_id})` : e.enterprise_id;
      this.select.append(h("option", { value: e.enterprise_id, text: label }));
    }
    this.select.value = this.list.some((e) => e.enterprise_id === selected) ? selected : "";
    this.addButton.disabled = !this.current;
  }

  nameOf(id) {
    return this.list.find((e) => e.enterprise_id === id)?.name || id;
  }

  toggle(mode) {
    const open = this.form.hidden || this.mode !== mode;
    this.mode = open ? mode : null;
    this.newButton.setAttribute("aria-expanded", String(open && mode === "create"));
    this.addButton.setAttribute("aria-expanded", String(open && mode === "add"));
    this.form.hidden = !open;
    if (open) this.renderForm();
  }

  close() {
    this.mode = null;
    this.form.hidden = true;
    this.newButton.setAttribute("aria-expanded", "false");
    this.addButton.setAttribute("aria-expanded", "false");
  }

  renderForm() {
    const creating = this.mode === "create";
    const fields = creating ? [
      field("upload-name", "enterprise_name", h("input", { id: "upload-name", name: "name", type: "text", required: true, autocomplete: "off" })),
      field("upload-id", "enterprise_id", h("input", { id: "upload-id", name: "enterprise_id", type: "text",
        autocomplete: "off", spellcheck: "false", "aria-describedby": "upload-id-help" }),
      h("small", { id: "upload-id-help", class: "muted", "data-i18n": "enterprise_id_help", text: t("enterprise_id_help") })),
    ] : [h("p", { class: "muted", text: this.nameOf(this.current) })];
    clear(this.form).append(...fields,
      field("upload-files", "files", h("input", { id: "upload-files", name: "files", type: "file", multiple: true,
        required: true, "aria-describedby": "upload-files-help" }),
      h("small", { id: "upload-files-help", class: "muted", "data-i18n": "files_help", text: t("files_help") })),
      h("p", { id: "upload-error", class: "form-error", role: "alert" }),
      h("div", { class: "row" },
        h("button", { type: "submit", class: "btn btn-primary btn-small", id: "upload-submit",
          "data-i18n": creating ? "create_and_upload" : "upload", text: t(creating ? "create_and_upload" : "upload") }),
        h("button", { type: "button", class: "btn btn-small btn-ghost", "data-i18n": "cancel", text: t("cancel"),
          onclick: () => this.close() })));
    this.form.querySelector("input").focus();
  }

  validated() {
    const files = [...this.form.querySelector("#upload-files").files];
    if (this.mode !== "create") return files.length ? { id: this.current, name: "", files } : { error: "need_files" };
    const name = this.form.querySelector("#upload-name").value.trim();
    const typed = this.form.querySelector("#upload-id").value.trim();
    if (!name) return { error: "need_name" };
    if (typed && !ENTERPRISE_ID.test(typed)) return { error: "bad_enterprise_id" };
    if (!files.length) return { error: "need_files" };
    return { id: typed || slug(name), name, files };
  }

  async submit() {
    const v = this.validated();
    const error = this.form.querySelector("#upload-error");
    error.textContent = v.error ? t(v.error) : "";
    if (v.error) return;
    const data = new FormData();
    data.append("enterprise_id", v.id);
    if (v.name) data.append("name", v.name);
    for (const f of v.files) data.append("files", f, f.name);
    this.form.querySelector("#upload-submit").disabled = true;
    const progress = h("progress", { max: "100", value: "0", class: "upload-progress" });
    const line = h("p", { class: "upload-line", text: t("uploading", { pct: 0 }) });
    clear(this.status).append(line, progress);
    try {
      const profile = await this.api.upload("/v1/profile", data, (p) => showProgress(p, line, progress));
      this.close();
      this.showOutcome(profile.ingest);
      await this.refresh(v.id);
      this.onChange(v.id, profile);
    } catch (exc) {
      clear(this.status).append(h("p", { class: "form-error", role: "alert", text: t("upload_failed", { message: exc.message }) }));
      this.form.querySelector("#upload-submit").disabled = false;
    }
  }

  showOutcome(ingest) {
    const counts = Object.entries(ingest?.counts ?? {}).map(([s, n]) => `${n} ${statusLabel(s)}`).join(", ");
    clear(this.status).append(h("p", { class: "upload-line", text: t("upload_done", { summary: counts || "—" }) }),
      h("ul", { class: "file-outcomes" }, (ingest?.files ?? []).map((f) => h("li", { class: `file-outcome status-${f.status}` },
        h("span", { class: "file-name", text: String(f.source ?? "").split("/").pop() }),
        h("span", { class: `badge file-status status-${f.status}`, text: statusLabel(f.status) }),
        f.reason ? h("span", { class: "muted file-reason", text: f.reason }) : null))));
  }
}

function field(id, key, input, help = null) {
  return h("div", { class: "field" }, h("label", { for: id, "data-i18n": key, text: t(key) }), input, help);
}

function statusLabel(status) {
  const key = `status_${status}`;
  const text = t(key);
  return text === key ? String(status) : text;
}

function showProgress(p, line, progress) {
  if (p.phase === "upload") {
    line.textContent = t("uploading", { pct: p.pct });
    progress.value = p.pct;
  } else {
    line.textContent = t("processing");
    progress.removeAttribute("value");
  }
}

// The profile panel: every fact with its value, unit, date and source (type, page, quoted span);
// conflicting facts are flagged and all candidates shown.
import { h } from "./dom.js";
import * as fmt from "./format.js";
import { lang, t } from "./i18n.js";

// a taxonomy label in the screen's language (the profile carries each label's Chinese name)
function labelShown(profile, label) {
  return lang() === "zh" ? (profile.label_names?.[label] ?? label) : label;
}

export function profileView(profile) {
  const fields = Object.entries(profile.fields ?? {});
  return h("div", { class: "profile" },
    h("header", { class: "profile-head" },
      h("h2", { class: "profile-name", text: profile.name || profile.enterprise_id }),
      h("p", { class: "muted mono", text: profile.enterprise_id })),
    summary(profile),
    fields.length
      ? h("ul", { class: "facts", "aria-label": t("profile") }, fields.map(([name, fact]) => factItem(name, fact, profile)))
      : h("p", { class: "muted", text: t("no_facts") }));
}

function summary(profile) {
  const rows = [];
  if (profile.industry?.label) {
    rows.push(h("dt", { text: t("industry") }), h("dd", {}, labelShown(profile, profile.industry.label),
      h("span", { class: "muted", text: ` (${t("confidence", { pct: fmt.percent(profile.industry.confidence) })})` })));
  }
  if (profile.tech_domains?.length) {
    rows.push(h("dt", { text: t("tech_domains") }), h("dd", {}, profile.tech_domains.map((d) => h("span", { class: "chip", text: labelShown(profile, d) }))));
  }
  return rows.length ? h("dl", { class: "kv profile-summary" }, rows) : null;
}

function factItem(name, fact, profile) {
  const labels = name === "industry" || name === "tech_domains";
  const shown = labels ? [fact.value].flat().map((v) => labelShown(profile, v)) : fact.value;
  const conflict = Boolean(fact.conflict);
  return h("li", { class: `fact${conflict ? " fact-conflict" : ""}`, "data-field": name },
    h("div", { class: "fact-head" },
      h("span", { class: "fact-name", text: fmt.fieldLabel(name) }),
      conflict ? h("span", { class: "badge badge-conflict", text: `⚠ ${t("conflict")}` }) : null),
    h("div", { class: "fact-value", text: fmt.value(shown, fact.unit) }),
    h("div", { class: "fact-meta muted" },
      fact.as_of ? h("span", { text: t("as_of", { date: fact.as_of }) }) : null,
      h("span", { text: t("confidence", { pct: fmt.percent(fact.confidence) }) }),
      fact.method ? h("span", { text: t("method", { method: fmt.methodLabel(fact.method) }) }) : null),
    sourceLine(fact.source, fact.method === "derived" ? fmt.formula(fact.quote ?? "") : fact.quote),
    conflict && fact.candidates?.length ? candidates(fact.candidates) : null);
}

function sourceLine(source, quote) {
  if (!source) return null;
  const type = source.source_type ? fmt.sourceTypeLabel(source.source_type) : t("document");
  const where = source.page ? t("source_line", { type, page: source.page }) : t("source_line_nopage", { type });
  const span = quote || source.quote;
  return h("p", { class: "fact-source" },
    h("span", { class: "source-where", text: where }),
    span ? h("q", { class: "source-quote", text: span }) : null);
}

function candidates(list) {
  return h("div", { class: "candidates" },
    h("p", { class: "muted", text: t("conflict_help") }),
    h("ul", {}, list.map((c) => h("li", {},
      h("strong", { text: fmt.value(c.value, c.unit) }),
      c.as_of ? ` · ${t("as_of", { date: c.as_of })}` : null,
      sourceLine(c.source, c.quote)))));
}

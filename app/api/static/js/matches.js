// Match cards, grouped by kind (policy / credit / equity): status, benefits, per-criterion verdicts
// with the program's clause and the firm's evidence, and the questions to ask the client.
import { h } from "./dom.js";
import * as fmt from "./format.js";
import { lang, t } from "./i18n.js";

const KINDS = ["policy", "credit", "equity"];
const VERDICT_ICON = { met: "✓", unmet: "✗", unknown: "?", not_applicable: "–" };

export function matchGroups(matches, { compact = false } = {}) {
  const byKind = new Map();
  for (const m of matches) {
    const kind = m.kind || m.program?.kind || "policy";
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind).push(m);
  }
  const order = [...KINDS, ...[...byKind.keys()].filter((k) => !KINDS.includes(k))];
  return h("div", { class: "match-groups" },
    order.filter((k) => byKind.has(k)).map((kind) => h("section", { class: "match-group", "aria-label": kindLabel(kind) },
      h("h3", { class: "match-group-title" }, kindLabel(kind), h("span", { class: "count", text: byKind.get(kind).length })),
      byKind.get(kind).map((m) => matchCard(m, compact)))));
}

export function kindLabel(kind) {
  return ["policy", "credit", "equity"].includes(kind) ? t(`kind_${kind}`) : kind;
}

export function statusBadge(status) {
  const s = ["eligible", "likely", "ineligible", "unknown"].includes(status) ? status : "unknown";
  return h("span", { class: `badge status-${s}`, text: t(`status_${s}`) });
}

function matchCard(m, compact) {
  const program = m.program ?? {};
  const verdicts = m.verdicts ?? [];
  return h("article", { class: "match-card", "data-status": m.status ?? "unknown", "data-program-id": program.id ?? "" },
    h("header", { class: "match-head" },
      h("h4", { class: "match-title", text: program.title || program.id || "—" }),
      statusBadge(m.status)),
    h("p", { class: "match-meta muted" },
      program.issuer ? `${t("issuer")}: ${program.issuer}` : null,
      typeof m.score === "number" ? h("span", { class: "score", text: t("match_score", { score: m.score.toFixed(2) }) }) : null),
    benefits(m.benefits && Object.keys(m.benefits).length ? m.benefits : program.benefits),
    verdicts.length ? criteria(verdicts, !compact) : null,
    questions(m.questions ?? []),
    m.explanation ? h("details", { class: "explanation" },
      h("summary", { text: t("explanation") }), h("p", { class: "pre", text: m.explanation })) : null);
}

function benefits(b) {
  if (!b || typeof b !== "object" || !Object.keys(b).length) return null;
  return h("section", { class: "benefits" },
    h("h5", { text: t("benefits") }),
    h("dl", { class: "kv" }, Object.entries(b).flatMap(([k, v]) => [
      h("dt", { text: fmt.benefitLabel(k) }), h("dd", { text: fmt.benefitValue(v) })])));
}

function criteria(verdicts, open) {
  const order = { unmet: 0, unknown: 1, met: 2, not_applicable: 3 };
  const sorted = [...verdicts].sort((a, b) => (order[a.verdict] ?? 9) - (order[b.verdict] ?? 9));
  const count = (v) => verdicts.filter((x) => x.verdict === v).length;
  const tally = ["met", "unmet", "unknown"].map((v) => `${t(`verdict_${v}`)} ${count(v)}`).join(" · ");
  return h("details", { class: "criteria", open },
    h("summary", {}, h("span", { class: "h5", text: t("criteria") }), h("span", { class: "muted tally", text: tally })),
    h("ul", { class: "verdicts" }, sorted.map(verdictItem)));
}

// the reason in the reader's language (the API sends both), else the English one
function reasonText(v) {
  return v.reasons?.[lang()] || v.reason || "";
}

function verdictItem(v) {
  const reason = reasonText(v);
  const verdict = v.verdict in VERDICT_ICON ? v.verdict : "unknown";
  const fact = v.fact;
  const quote = fact?.source?.quote;
  return h("li", { class: `verdict v-${verdict}` },
    h("span", { class: "verdict-icon", "aria-hidden": "true", text: VERDICT_ICON[verdict] }),
    h("div", { class: "verdict-body" },
      h("div", { class: "verdict-line" },
        h("span", { class: `badge verdict-badge verdict-${verdict}`, text: t(`verdict_${verdict}`) }),
        h("span", { class: "criterion", text: fmt.criterion(v.criterion) })),
      v.source_text ? h("p", { class: "clause" }, h("span", { class: "label", text: `${t("clause")}: ` }),
        h("q", { text: v.source_text })) : null,
      h("p", { class: "evidence" }, h("span", { class: "label", text: `${t("evidence")}: ` }),
        fact ? [fmt.value(fact.value, fact.unit),
          quote ? [" — ", h("q", { text: quote })] : null,
          fact.source?.page ? ` (${t("page", { page: fact.source.page })})` : null]
          : h("span", { class: "muted", text: reason || t("no_evidence") })),
      fact && reason ? h("p", { class: "reason muted", text: reason }) : null));
}

function questions(list) {
  if (!list.length) return null;
  return h("section", { class: "questions" },
    h("h5", { text: t("questions_to_ask") }),
    h("ul", {}, list.map((q) => h("li", { text: q }))));
}

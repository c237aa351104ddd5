// The source panel: the cited passage with its document title and page.
import { h } from "./dom.js";
import { t } from "./i18n.js";

export function sourceView(citation, n) {
  if (!citation) return h("p", { class: "muted", text: n ? t("source_missing", { n }) : t("no_source") });
  return h("article", { class: "source-view", "aria-labelledby": "source-title" },
    h("p", { class: "source-n", text: t("citation_label", { n: citation.n ?? n }) }),
    h("h2", { id: "source-title", class: "source-title", tabindex: "-1", text: citation.title || citation.doc_id || "—" }),
    h("p", { class: "muted" },
      citation.page ? h("span", { class: "source-page", text: t("page_long", { page: citation.page }) }) : null,
      citation.doc_id ? h("span", { class: "mono", text: ` · ${citation.doc_id}` }) : null),
    h("h3", { class: "passage-label", text: t("passage") }),
    h("blockquote", { class: "passage", text: citation.text || "" }));
}

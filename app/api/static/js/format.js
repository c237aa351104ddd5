// Display formatting for facts, criteria and benefits; all output is plain text.
import { has, lang, t } from "./i18n.js";

const OPS = { ">=": "≥", "<=": "≤", "==": "=", ">": ">", "<": "<", in: "∈", not_in: "∉", contains: "∋", exists: "∃" };

export function number(value) {
  const digits = Number.isInteger(value) ? 0 : 2;
  return new Intl.NumberFormat(lang() === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: digits }).format(value);
}

export function unitLabel(unit) {
  if (!unit) return "";
  return has(`unit_${unit}`) ? t(`unit_${unit}`) : unit;
}

export function value(raw, unit = "") {
  if (raw === null || raw === undefined || raw === "") return "—";
  if (Array.isArray(raw)) return raw.map((v) => value(v)).join(lang() === "zh" ? "、" : ", ");
  if (typeof raw === "boolean") return raw ? t("yes") : t("no");
  if (typeof raw === "number") {
    const u = unitLabel(unit);
    return u === "%" ? `${number(raw)}%` : [number(raw), u].filter(Boolean).join(lang() === "zh" ? "" : " ");
  }
  if (typeof raw === "object") {
    return Object.entries(raw).filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => `${partLabel(k)}: ${value(v)}`).join(lang() === "zh" ? "；" : "; ");
  }
  if (has(`value_${raw}`)) return t(`value_${raw}`);  // a coded value in words ("for_profit": for-profit company)
  const u = unitLabel(unit);
  return u ? `${raw} ${u}` : String(raw);
}

// a key the dictionary lacks is still shown as words, never as a raw key ("rd_domestic_ratio")
function humane(raw) {
  return String(raw).replace(/[._:]+/g, " ").trim();
}

export function fieldLabel(field) {
  const key = `field_${String(field).replace(/\./g, "_")}`;
  return has(key) ? t(key) : humane(field);
}

// a derived fact's formula ("rd_expense / revenue") with its fields named
export function formula(text) {
  return String(text).replace(/[a-z][a-z_.]*[a-z]/g, (word) => (has(`field_${word.replace(/\./g, "_")}`) ? fieldLabel(word) : word));
}

export function methodLabel(method) {
  const key = `method_${String(method).replace(/\W+/g, "_")}`;
  return has(key) ? t(key) : humane(method);
}

export function sourceTypeLabel(type) {
  const key = `source_${type}`;
  return has(key) ? t(key) : humane(type);
}

export function criterion(c) {
  if (!c) return "";
  if (Array.isArray(c.options) && c.options.length) {
    return `${t("any_of")}: ${c.options.map(criterion).join("; ")}`;
  }
  const op = OPS[c.op] ?? c.op ?? "";
  const shown = c.value === null || c.value === undefined ? "" : value(c.value, c.unit);
  return [fieldLabel(c.field), op, shown].filter(Boolean).join(" ");
}

// a part of a structured value (a certificate's number, issue date, expiry …), else a benefit's name
function partLabel(key) {
  return has(`part_${key}`) ? t(`part_${key}`) : benefitLabel(key);
}

export function benefitLabel(key) {
  return has(`benefit_${key}`) ? t(`benefit_${key}`) : humane(key);
}

export function benefitValue(raw) {
  if (Array.isArray(raw) && raw.length === 2 && raw.every((v) => typeof v === "number")) {
    return `${number(raw[0])} – ${number(raw[1])}`;
  }
  return value(raw);
}

export function percent(confidence) {
  return Math.round(Number(confidence || 0) * 100);
}

export function dateTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(lang() === "zh" ? "zh-CN" : "en-GB", { dateStyle: "short", timeStyle: "short" });
}

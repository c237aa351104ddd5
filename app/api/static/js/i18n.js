// Interface text in English and Chinese. t(key, params) fills {name} placeholders; server text is
// never passed through here, it is shown as it came.

const EN = {
  app_title: "SME assistant", app_subtitle: "Tech-startup banking knowledge", language: "Language",
  skip_to_chat: "Skip to the question box", sign_in_title: "Sign in",
  sign_in_help: "Paste the API key your administrator issued you. It is kept for this browser tab only.",
  api_key: "API key", sign_in: "Sign in", sign_out: "Sign out", signing_in: "Signing in…",
  key_required: "Enter an API key.", key_rejected: "The key was rejected: {message}",
  session_expired: "Your session ended ({message}). Sign in again.",
  workspace: "Workspace", enterprise: "Enterprise", choose_enterprise: "Choose an enterprise",
  no_enterprise: "— No enterprise (general questions) —", new_enterprise: "New enterprise",
  add_documents: "Add documents", enterprise_name: "Company name", enterprise_id: "Enterprise ID",
  enterprise_id_help: "Letters, digits, '.', '_' or '-'. Left empty, it is made from the name.",
  files: "Documents", files_help: "Business plan, financial statements, certificates (PDF, DOCX, XLSX, CSV, images…)",
  create_and_upload: "Create and upload", upload: "Upload", cancel: "Cancel",
  need_name: "Enter the company name.", need_files: "Choose at least one document.",
  bad_enterprise_id: "The ID may only hold letters, digits, '.', '_' or '-' (at most 128).",
  uploading: "Uploading… {pct}%", processing: "Reading and profiling the documents…",
  upload_done: "Done: {summary}", upload_failed: "Upload failed: {message}",
  status_indexed: "indexed", status_duplicate: "duplicate", status_unchanged: "unchanged",
  status_rejected: "rejected", status_failed: "failed",
  conversations: "Conversations", new_conversation: "New", no_conversations: "No conversations yet.",
  conversations_unavailable: "Conversation history is not available.", untitled: "Untitled",
  chat: "Chat", chat_about: "About: {name}", chat_general: "General questions (no enterprise selected)",
  your_question: "Your question", ask_placeholder: "Ask about the client or a program… (Enter to send, Shift+Enter for a new line)",
  send: "Send", stop: "Stop", you: "You", assistant: "Assistant", thinking: "Searching the sources…",
  empty_chat: "Ask a question about the selected client, a policy, a credit product or an investor. Every answer cites its sources.",
  suggest_revenue: "What was the company's revenue in 2023?", suggest_match: "Which policies can it get?",
  suggest_ip: "What does the Shenzhen IP-pledge subsidy pay?", suggestions: "Suggested questions",
  stream_interrupted: "The answer was interrupted before it finished.", stopped: "Stopped.",
  chat_error: "Could not answer: {message}", sources: "Sources", open_source: "Open source {n}: {title}",
  citation_label: "Source {n}", page: "p. {page}", page_long: "Page {page}",
  helpful: "Helpful", not_helpful: "Not helpful", feedback_prompt: "Was this answer useful?",
  feedback_comment: "Comment (optional)", send_feedback: "Send feedback", feedback_thanks: "Thanks for the feedback.",
  feedback_failed: "Feedback not saved: {message}",
  details: "Details", profile: "Profile", matches: "Matches", source: "Source",
  no_profile: "Choose or create an enterprise to see its profile.", loading: "Loading…",
  load_failed: "Could not load: {message}", industry: "Industry", tech_domains: "Tech domains",
  confidence: "confidence {pct}%", method: "method: {method}", as_of: "as of {date}",
  conflict: "Conflict", conflict_help: "The documents disagree; all values are kept:", no_facts: "No facts extracted yet.",
  source_line: "{type}, p. {page}", source_line_nopage: "{type}", fact: "Fact", value: "Value",
  kind_filter: "Kind", all_kinds: "All kinds", find_matches: "Find matches",
  kind_policy: "Policy", kind_credit: "Credit", kind_equity: "Equity",
  no_matches: "No matching programs.", need_enterprise: "Choose an enterprise first.",
  match_score: "score {score}", benefits: "Benefits", criteria: "Criteria", questions_to_ask: "Ask the client",
  explanation: "Explanation", clause: "Clause", evidence: "Firm's evidence", no_evidence: "No evidence in the profile",
  status_eligible: "Eligible", status_likely: "Likely", status_ineligible: "Ineligible", status_unknown: "Unknown",
  verdict_met: "Met", verdict_unmet: "Unmet", verdict_unknown: "Unknown", verdict_not_applicable: "N/A",
  issuer: "Issuer", matches_in_answer: "{count} matching programs",
  no_source: "Select a citation marker such as [1] in an answer to read the passage here.",
  source_missing: "Source {n} is not available for this answer.", passage: "Passage", document: "Document",
  yes: "yes", no: "no", any_of: "any of",
  field_founded_date: "Founded", field_years_since_founding: "Years since founding", field_region: "Region",
  field_industry: "Industry", field_business: "Business", field_address: "Registered address", field_tech_domains: "Tech domains", field_employees: "Employees",
  field_rd_staff: "R&D staff", field_rd_staff_ratio: "R&D staff ratio", field_revenue: "Revenue",
  field_revenue_growth: "Revenue growth", field_total_assets: "Total assets", field_rd_expense: "R&D expense",
  field_rd_expense_ratio: "R&D expense ratio", field_patents: "Patents", field_patents_invention: "Invention patents",
  field_patents_utility_model: "Utility-model patents", field_patents_software_copyright: "Software copyrights",
  field_patents_ic_layout: "IC layout-design rights", field_patents_pending_ic_layout: "Pending IC layout-design registrations",
  value_for_profit: "for-profit company", value_independent_legal_person: "independent legal entity",
  field_certifications: "Certifications", field_funding_stage: "Funding stage", field_funding_raised: "Funding raised",
  field_investors: "Investors", field_ownership: "Ownership", field_credit_record: "Credit record",
  field_tax_rating: "Tax credit rating", field_social_insurance_headcount: "Social-insurance headcount",
  field_risk_signals: "Risk signals", field_company_name: "Company name",
  field_unified_social_credit_code: "Unified social credit code", field_entity_type: "Entity type",
  field_patents_any: "Any IP (patents or copyrights)",
  field_patents_design: "Design patents", field_rd_domestic_ratio: "Share of R&D spent in China",
  field_hightech_revenue_ratio: "High-tech revenue share", field_net_profit: "Net profit",
  field_ownership_domestic_share: "Domestic ownership share", field_ownership_us_persons_share: "US-person ownership share",
  field_years_in_niche: "Years in its niche",
  part_name: "Name", part_number: "No.", part_issued: "Issued", part_valid_years: "Valid (years)",
  part_expires: "Expires", part_renewal_opens: "Renewal window opens", part_issuer: "Issued by",
  field_funding_rounds: "Funding rounds", field_funding_planned_stage: "Planned funding round",
  field_months_since_last_round: "Months since the last round", field_bank_loans: "Bank loans outstanding",
  field_first_time_borrower: "First-time borrower", field_risk_overdue_debt: "Overdue debt",
  field_risk_default: "Default record", field_risk_litigation: "Litigation",
  field_risk_administrative_penalty: "Administrative penalty",
  field_risk_major_safety_incident: "Major safety incident",
  field_risk_major_quality_incident: "Major quality incident",
  field_risk_serious_environmental_violation: "Serious environmental violation",
  field_risk_serious_dishonesty: "Serious dishonesty record",
  field_risk_abnormal_operations_list: "Abnormal operations list",
  field_risk_serious_violation: "Serious violation", field_risk_pledge: "Pledged equity or assets",
  field_risk_guarantee: "Guarantees given",
  field_unified_social_credit_code_invalid: "Invalid unified social credit code",
  field_patents_pending_invention: "Pending invention patents",
  field_patents_pending_utility_model: "Pending utility-model patents",
  field_patents_pending_design: "Pending design patents",
  field_patents_pending_software_copyright: "Pending software copyrights",
  field_certificate_hnte: "High-tech enterprise certificate",
  field_certificate_tech_sme: "Tech-based SME registration",
  field_certificate_little_giant: "\"Little giant\" certificate",
  field_certificate_zjtx_sme: "Specialised and innovative SME certificate",
  field_certificate_iso9001: "ISO 9001 quality management certificate",
  field_certificate_iso27001: "ISO 27001 information security certificate",
  field_certificate_iso14001: "ISO 14001 environmental management certificate",
  method_rule: "read from the document", method_rule_table: "read from a table", method_rule_table_sum: "summed from a table",
  method_model: "model estimate", method_llm: "language-model reading", method_user: "entered by a user",
  method_derived: "computed from other facts",
  source_financial_statement: "Financial statement", source_audit_report: "Audit report", source_tax_record: "Tax record",
  source_certificate: "Certificate", source_business_plan: "Business plan", source_news: "News", source_text: "Text",
  source_model: "Model", source_user: "User input", source_annual_report: "Annual report",
  benefit_max_amount_cny: "Up to (CNY)", benefit_amount_cny: "Amount (CNY)", benefit_rate: "Rate",
  benefit_term_months: "Term (months)", benefit_collateral: "Collateral", benefit_ticket_size_usd: "Ticket size (USD)",
  benefit_typical_stake_pct: "Typical stake (%)", benefit_value_add: "Value add", benefit_follow_on: "Follow-on",
  benefit_revolving: "Revolving", benefit_equity_kicker: "Equity kicker", benefit_sizing: "Sizing",
  benefit_subsidy: "Subsidy", benefit_tax_relief: "Tax relief", benefit_award_cny: "Award (CNY)",
  benefit_first_recognition: "first recognition", benefit_re_recognition: "re-recognition",
  unit_persons: "people", unit_items: "items", unit_CNY: "CNY", unit_years: "years",
};

const ZH = {
  app_title: "SME 智能助手", app_subtitle: "科技企业金融知识库", language: "语言",
  skip_to_chat: "跳到提问框", sign_in_title: "登录",
  sign_in_help: "请粘贴管理员发放的 API 密钥。密钥仅保存在当前浏览器标签页中。",
  api_key: "API 密钥", sign_in: "登录", sign_out: "退出", signing_in: "正在登录…",
  key_required: "请输入 API 密钥。", key_rejected: "密钥无效：{message}",
  session_expired: "会话已失效（{message}），请重新登录。",
  workspace: "工作区", enterprise: "企业", choose_enterprise: "选择企业",
  no_enterprise: "— 不指定企业（一般问题）—", new_enterprise: "新建企业",
  add_documents: "补充材料", enterprise_name: "企业名称", enterprise_id: "企业编号",
  enterprise_id_help: "字母、数字、“.”、“_”或“-”；留空则根据名称生成。",
  files: "材料", files_help: "商业计划书、财务报表、资质证书（PDF、DOCX、XLSX、CSV、图片等）",
  create_and_upload: "创建并上传", upload: "上传", cancel: "取消",
  need_name: "请输入企业名称。", need_files: "请至少选择一个文件。",
  bad_enterprise_id: "编号只能包含字母、数字、“.”、“_”或“-”（最多 128 个字符）。",
  uploading: "正在上传… {pct}%", processing: "正在解析材料并生成企业画像…",
  upload_done: "完成：{summary}", upload_failed: "上传失败：{message}",
  status_indexed: "已入库", status_duplicate: "重复", status_unchanged: "未变化",
  status_rejected: "已拒收", status_failed: "失败",
  conversations: "会话", new_conversation: "新会话", no_conversations: "暂无会话。",
  conversations_unavailable: "暂时无法获取会话记录。", untitled: "未命名",
  chat: "对话", chat_about: "当前企业：{name}", chat_general: "一般问题（未选择企业）",
  your_question: "你的问题", ask_placeholder: "询问客户情况或政策、产品…（Enter 发送，Shift+Enter 换行）",
  send: "发送", stop: "停止", you: "我", assistant: "助手", thinking: "正在检索资料…",
  empty_chat: "可以询问所选客户、政策、信贷产品或投资机构的问题。每个回答都会标注出处。",
  suggest_revenue: "公司2023年营业收入是多少？", suggest_match: "这家企业可以申请哪些政策？",
  suggest_ip: "深圳知识产权质押贴息政策补贴多少？", suggestions: "推荐问题",
  stream_interrupted: "回答在完成前中断。", stopped: "已停止。",
  chat_error: "无法回答：{message}", sources: "出处", open_source: "打开出处 {n}：{title}",
  citation_label: "出处 {n}", page: "第{page}页", page_long: "第 {page} 页",
  helpful: "有帮助", not_helpful: "没有帮助", feedback_prompt: "这个回答有用吗？",
  feedback_comment: "意见（可选）", send_feedback: "提交反馈", feedback_thanks: "感谢反馈。",
  feedback_failed: "反馈未保存：{message}",
  details: "详情", profile: "企业画像", matches: "匹配", source: "出处",
  no_profile: "选择或新建企业后可查看画像。", loading: "加载中…",
  load_failed: "加载失败：{message}", industry: "行业", tech_domains: "技术领域",
  confidence: "置信度 {pct}%", method: "方法：{method}", as_of: "截至 {date}",
  conflict: "存在冲突", conflict_help: "不同材料的数值不一致，均已保留：", no_facts: "尚未提取到事实。",
  source_line: "{type}，第{page}页", source_line_nopage: "{type}", fact: "事实", value: "数值",
  kind_filter: "类型", all_kinds: "全部类型", find_matches: "开始匹配",
  kind_policy: "政策", kind_credit: "信贷", kind_equity: "股权",
  no_matches: "没有匹配的项目。", need_enterprise: "请先选择企业。",
  match_score: "得分 {score}", benefits: "支持内容", criteria: "申请条件", questions_to_ask: "需向客户确认",
  explanation: "说明", clause: "条款", evidence: "企业证据", no_evidence: "画像中暂无证据",
  status_eligible: "符合", status_likely: "可能符合", status_ineligible: "不符合", status_unknown: "待确认",
  verdict_met: "满足", verdict_unmet: "不满足", verdict_unknown: "待确认", verdict_not_applicable: "不适用",
  issuer: "发布机构", matches_in_answer: "{count} 个匹配项目",
  no_source: "点击回答中的出处标记（如 [1]）即可在此查看原文。",
  source_missing: "此回答没有出处 {n}。", passage: "原文", document: "文档",
  yes: "是", no: "否", any_of: "满足其一",
  field_founded_date: "成立时间", field_years_since_founding: "成立年限", field_region: "注册地",
  field_industry: "行业", field_business: "主营业务", field_address: "注册地址", field_tech_domains: "技术领域", field_employees: "员工人数",
  field_rd_staff: "研发人员", field_rd_staff_ratio: "研发人员占比", field_revenue: "营业收入",
  field_revenue_growth: "收入增长率", field_total_assets: "资产总额", field_rd_expense: "研发费用",
  field_rd_expense_ratio: "研发费用占比", field_patents: "知识产权", field_patents_invention: "发明专利",
  field_patents_utility_model: "实用新型专利", field_patents_software_copyright: "软件著作权",
  field_patents_ic_layout: "集成电路布图设计专有权", field_patents_pending_ic_layout: "申请中的集成电路布图设计",
  value_for_profit: "营利性企业", value_independent_legal_person: "独立法人",
  field_certifications: "资质认定", field_funding_stage: "融资阶段", field_funding_raised: "累计融资",
  field_investors: "投资方", field_ownership: "股权结构", field_credit_record: "信用记录",
  field_tax_rating: "纳税信用等级", field_social_insurance_headcount: "社保缴纳人数",
  field_risk_signals: "风险信号", field_company_name: "企业名称",
  field_unified_social_credit_code: "统一社会信用代码", field_entity_type: "主体类型",
  field_patents_any: "任一知识产权",
  field_patents_design: "外观设计专利", field_rd_domestic_ratio: "境内研发费用占比",
  field_hightech_revenue_ratio: "高新技术产品收入占比", field_net_profit: "净利润",
  field_ownership_domestic_share: "境内持股比例", field_ownership_us_persons_share: "美国人士持股比例",
  field_years_in_niche: "从事细分领域年限",
  part_name: "名称", part_number: "编号", part_issued: "发证日期", part_valid_years: "有效期（年）",
  part_expires: "到期日", part_renewal_opens: "可申请复审自", part_issuer: "批准机关",
  field_funding_rounds: "融资记录", field_funding_planned_stage: "计划融资轮次",
  field_months_since_last_round: "距上轮融资月数", field_bank_loans: "银行贷款余额", field_first_time_borrower: "首贷户",
  field_risk_overdue_debt: "逾期欠款", field_risk_default: "违约记录", field_risk_litigation: "涉诉记录",
  field_risk_administrative_penalty: "行政处罚", field_risk_major_safety_incident: "重大安全事故",
  field_risk_major_quality_incident: "重大质量事故", field_risk_serious_environmental_violation: "严重环境违法",
  field_risk_serious_dishonesty: "严重失信", field_risk_abnormal_operations_list: "经营异常名录",
  field_risk_serious_violation: "重大违法违规", field_risk_pledge: "股权或资产质押", field_risk_guarantee: "对外担保",
  field_unified_social_credit_code_invalid: "无效的统一社会信用代码", field_patents_pending_invention: "申请中的发明专利",
  field_patents_pending_utility_model: "申请中的实用新型专利", field_patents_pending_design: "申请中的外观设计专利",
  field_patents_pending_software_copyright: "申请中的软件著作权", field_certificate_hnte: "高新技术企业证书",
  field_certificate_tech_sme: "科技型中小企业入库登记", field_certificate_little_giant: "专精特新“小巨人”证书",
  field_certificate_zjtx_sme: "专精特新中小企业证书", field_certificate_iso9001: "ISO 9001 质量管理体系认证证书",
  field_certificate_iso27001: "ISO 27001 信息安全管理体系认证证书", field_certificate_iso14001: "ISO 14001 环境管理体系认证证书",
  method_rule: "文档抽取", method_rule_table: "表格抽取", method_rule_table_sum: "表格汇总",
  method_model: "模型判断", method_llm: "大模型阅读", method_user: "人工录入", method_derived: "由其他事实计算",
  source_financial_statement: "财务报表", source_audit_report: "审计报告", source_tax_record: "纳税记录",
  source_certificate: "证书", source_business_plan: "商业计划书", source_news: "新闻", source_text: "文本",
  source_model: "模型", source_user: "人工录入", source_annual_report: "年度报告",
  benefit_max_amount_cny: "最高额度（元）", benefit_amount_cny: "金额（元）", benefit_rate: "利率",
  benefit_term_months: "期限（月）", benefit_collateral: "担保方式", benefit_ticket_size_usd: "单笔投资（美元）",
  benefit_typical_stake_pct: "典型持股（%）", benefit_value_add: "增值服务", benefit_follow_on: "跟投",
  benefit_revolving: "可循环", benefit_equity_kicker: "认股权", benefit_sizing: "额度测算",
  benefit_subsidy: "补贴", benefit_tax_relief: "税收优惠", benefit_award_cny: "奖励（元）",
  benefit_first_recognition: "首次认定", benefit_re_recognition: "重新认定",
  unit_persons: "人", unit_items: "项", unit_CNY: "元", unit_years: "年",
};

const DICTS = { en: EN, zh: ZH };
const STORAGE_KEY = "sme.lang";
let current = initialLang();
const listeners = new Set();

function initialLang() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && saved in DICTS) return saved;
  const preferred = navigator.languages?.[0] || navigator.language || "en";
  return preferred.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function lang() { return current; }

export function has(key) { return key in DICTS[current]; }

export function t(key, params = {}) {
  const text = DICTS[current][key] ?? EN[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function setLang(code) {
  if (!(code in DICTS) || code === current) return;
  current = code;
  localStorage.setItem(STORAGE_KEY, code);
  applyI18n(document);
  listeners.forEach((fn) => fn(code));
}

export function onLangChange(fn) { listeners.add(fn); }

// Static markup carries data-i18n (text), data-i18n-placeholder and data-i18n-aria-label.
export function applyI18n(root) {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  document.title = t("app_title");
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  });
  root.querySelectorAll("[data-i18n-aria-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  });
}

"""Clause rules for categorical conditions: IP held, location, certifications, clean record,
tax rating, ownership, legal form. Registered into the same RULES table as the numeric ones."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.core.criteria_numeric import CMP_EN, CMP_ZH, Found, op_en, op_zh, rule
from app.core.numbers import NUM, parse_number

_IP_ZH = [("发明专利|發明專利", "patents.invention"), ("实用新型专利|實用新型專利|实用新型", "patents.utility_model"),
          ("软件著作权|軟件著作權|软件著作|软著", "patents.software_copyright"),
          ("外观设计专利|外觀設計專利", "patents.design"), ("知识产权|知識產權", "patents.any")]


@rule
def ip_zh(c: str) -> Iterator[Found]:
    for words, field in _IP_ZH:
        pat = rf"(?:拥有|擁有|持有|获得|獲得|取得)[^。；，,\d]{{0,10}}?(?:{words})(?:等)?\s*({CMP_ZH})?({NUM})\s*(项|項|件|个|個)(以上|及以上)?"
        for m in re.finditer(pat, c):
            yield Found(field, op_zh(m.group(1), m.group(4)), parse_number(m.group(2)), "items",
                        m.group(2) + m.group(3), m.start())
        for m in re.finditer(rf"(?:、|或)(?:{words})(?:[、等][^。；，]{{0,12}}?)?\s*({NUM})\s*(项|項|件)(以上|及以上)", c):
            yield Found(field, ">=", parse_number(m.group(1)), "items", m.group(1) + m.group(2), m.start())
    core = re.search(r"(?:拥有|擁有|获得|獲得)[^。；]{0,40}?(核心自主知识产权|核心支持作用的知识产权|知识产权的所有权)", c)
    if core:
        yield Found("patents.any", "exists", None, "", core.group(1), core.start())


@rule
def ip_en(c: str) -> Iterator[Found]:
    kinds = [("invention patents?", "patents.invention"), ("utility model(?: patent)?s?", "patents.utility_model"),
             ("software copyrights?", "patents.software_copyright"), ("patents?", "patents.any")]
    for words, field in kinds:
        pat = rf"(?:hold|holds|own|owns|have|has)\s+(?:({CMP_EN})\s+)?({NUM}|one|two|three|five)\s+(?:registered\s+)?(?:{words})\b"
        for m in re.finditer(pat, c, re.IGNORECASE):
            yield Found(field, op_en(m.group(1)) if m.group(1) else ">=", parse_number(m.group(2)), "items",
                        m.group(2), m.start())


_PLACE = r"(?:[\u4e00-\u9fff]{2,8}?(?:自治区|特别行政区|新区|新區|省|市|区|區|县|縣)){1,3}"
_HERE = r"本市|本省|本区|本區|中国境内|中國境內"


@rule
def location_zh(c: str) -> Iterator[Found]:
    for m in re.finditer(rf"(?:注册地|註冊地|注册地址|住所)(?:在|位于|位於|为|為|須在|须在)({_PLACE})", c):
        yield Found("region", "in", (m.group(1),), "", m.group(1), m.start())
    # "注册地和主要经营地均在广州市", "税务征管关系及统计关系均在本区": a list of ties, then where they all are
    ties = r"(?:注册地|註冊地|经营地|經營地|关系|關係|登记|登記|注册|註冊)"
    for m in re.finditer(rf"{ties}[^，。；,;]{{0,3}}(?:均|都|须|須)(?:在|位于|位於)({_PLACE}|{_HERE})", c):
        yield Found("region", "in", (m.group(1),), "", m.group(1), m.start())
    # "須於臺北市辦理公司登記"
    for m in re.finditer(rf"(?:在|於|于)({_PLACE})(?:辦理|办理)(?:公司|商業|商业)?(?:登記|登记|註冊|注册)", c):
        yield Found("region", "in", (m.group(1),), "", m.group(1), m.start())
    for m in re.finditer(rf"在({_PLACE}|{_HERE})(?:[（(][^）)]{{0,20}}[）)])?(?:依法)?"
                         rf"(?:注册|註冊|登记注册|登記註冊)(?:成立|设立)?"
                         rf"(?=的|、|，|,|。|$|\s|满|滿|已满|时间|\d|[一二两三四五六七八九十])", c):
        yield Found("region", "in", (m.group(1),), "", m.group(1), m.start())


@rule
def location_en(c: str) -> Iterator[Found]:
    pat = (r"(?:located|registered|incorporated|based|headquartered)(?:\s+and\s+(?:operating|located|based|trading))?"
           r"\s+in\s+(?:the\s+state\s+of\s+)?((?:the\s+)?[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,3})")
    for m in re.finditer(pat, c):
        place = re.sub(r"^the\s+", "", m.group(1))
        yield Found("region", "in", (place,), "", place, m.start())
    # "a UK registered business", "a Singapore-incorporated company"
    for m in re.finditer(r"\b(?:([A-Z]{2,3})\s|([A-Z][a-z]+)-)(?:registered|incorporated|based)\b", c):
        place = m.group(1) or m.group(2)
        yield Found("region", "in", (place,), "", place, m.start())


_CERTS = [
    ("专精特新“?小巨人”?|小巨人|little giant", "专精特新小巨人"),
    ("专精特新中小企业|專精特新中小企業|专精特新企业|專精特新企業|specialised and innovative|specialized and innovative", "专精特新中小企业"),
    ("高新技术企业|高新技術企業|high-tech enterprise|high and new technology enterprise|HNTE", "高新技术企业"),
    ("科技型中小企业|科技型中小企業|tech-based SME|technology-based SME", "科技型中小企业"),
    ("创新型中小企业|創新型中小企業", "创新型中小企业"),
]
_HOLD = r"(?:须为|須為|应为|應為|需为|必须为|必须是|须是|属于|屬於|取得|获得|獲得|认定为|認定為|已认定|已被认定为|入库|入庫|入選|入选|must be an?|be an?|is an?|certified as an?|recognised as an?|recognized as an?|holding an?)"


# "拥有有效的国家高新技术企业证书": holding the certificate states the certification
_CERTIFICATE = r"(?:拥有|擁有|持有|具有|具备|具備)[^，。；,;]{{0,8}}?({words})(?:资格|資格)?(?:证书|證書)"
# "a certified high-tech enterprise or a technology-based SME": one holding verb, several certifications
_ALSO = r"\s*(?:、|或者?|和|及|\bor\b|\band\b)\s*(?:an?\s+|the\s+)?(?:certified\s+|国家级?|國家級?)?(?:“|\")?"


def _listed_after(c: str, end: int) -> Iterator[Found]:
    """Certifications listed right after a held one ("…企业或科技型中小企业")."""
    for words, label in _CERTS:
        m = re.match(rf"{_ALSO}({words})", c[end:], re.IGNORECASE)
        if m:
            yield Found("certifications", "contains", label, "", m.group(1), end + m.start(1))
            yield from _listed_after(c, end + m.end())


@rule
def certification(c: str) -> Iterator[Found]:
    for words, label in _CERTS:
        held = re.search(_CERTIFICATE.format(words=words), c, re.IGNORECASE)
        if held:
            yield Found("certifications", "contains", label, "", held.group(1), held.start(1))
            continue
        m = re.search(rf"{_HOLD}\s*(?:已(?:被)?(?:认定|認定)的?|经认定的?|經認定的?)?\s*(?:国家级?|國家級?|certified\s+)?"
                      rf"(?:“|\")?({words})", c, re.IGNORECASE)
        outcome = m and re.match(r"”?\s*(?:的|后|後)?\s*(?:须|需|應|应|可|享受|减按|conditions|criteria|must meet|can|may)",
                                 c[m.end():], re.IGNORECASE)
        if m and not outcome and not re.search(r"(?:不是|并非|非)\s*$", c[: m.start(1)]):
            yield Found("certifications", "contains", label, "", m.group(1), m.start(1))
            yield from _listed_after(c, m.end())


_INCIDENTS = [("重大安全", "major_safety_incident"), ("重大质量|重大質量", "major_quality_incident"),
              ("严重环境违法|嚴重環境違法|环境违法", "serious_environmental_violation"),
              ("科研严重失信|严重失信|嚴重失信|严重违法失信", "serious_dishonesty"),
              ("经营异常名录|經營異常名錄", "abnormal_operations_list"), ("行政处罚|行政處罰", "administrative_penalty"),
              ("逾期(?:贷款|還款|还款|记录|記錄|未还|未還)|贷款逾期|欠息|欠税|欠稅", "overdue_debt"), ("重大违法|重大違法|违法违规", "serious_violation")]


@rule
def clean_record_zh(c: str) -> Iterator[Found]:
    m = re.search(r"(未发生|未發生|无|無|没有|沒有|未列入|未被列入|不存在|未受到)", c)
    if not m:
        return
    tail = c[m.start():]
    found = tuple(label for words, label in _INCIDENTS if re.search(words, tail))
    if not found:
        return
    window = re.search(rf"(?:近|最近|前|申请认定前|申請認定前)({NUM})\s*(年|个月)", c)
    years = None
    if window:
        years = parse_number(window.group(1)) / (12 if window.group(2) == "个月" else 1)
    elif re.search(r"(?:申请认定前|申請認定前|近)一年内", c):
        years = 1.0
    yield Found("risk_signals", "not_in", found, "", m.group(1), m.start(), window_years=years)


@rule
def clean_record_en(c: str) -> Iterator[Found]:
    pat = (r"\bno\s+(?:serious\s+|major\s+)?(overdue loans?|defaults?|administrative penalties|violations|penalties)"
           r"(?:\s+in\s+the\s+(?:past|last)\s+(\w+)\s+years?)?")
    matches = list(re.finditer(pat, c, re.IGNORECASE))
    if matches:
        names = {"overdue": "overdue_debt", "default": "default", "administrative": "administrative_penalty"}
        labels = tuple(dict.fromkeys(names.get(m.group(1).split()[0].lower().rstrip("s"), "serious_violation")
                                     for m in matches))
        window = next((m.group(2) for m in matches if m.group(2)), None)
        years = parse_number(window) if window else None
        yield Found("risk_signals", "not_in", labels, "", matches[0].group(0), matches[0].start(), window_years=years)


@rule
def tax_rating(c: str) -> Iterator[Found]:
    m = re.search(r"(?:纳税|納稅)信用(?:等级|等級|级别|級別)?(?:为|為|在|达到|達到)?\s*([ABM])\s*[级級]?(?:或\s*([ABM])\s*[级級])?"
                  r"(以上|及以上)?", c)
    if m:
        grades = ("A", "B", "M", "C", "D")
        best = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        allowed = grades[: grades.index(best[-1]) + 1] if m.group(3) else tuple(best)
        yield Found("tax_rating", "in", tuple(allowed), "", m.group(0)[-6:].strip(), m.start())


@rule
def ownership_en(c: str) -> Iterator[Found]:
    m = re.search(rf"({CMP_EN})\s+({NUM})\s*%\s+owned(?:\s+and\s+controlled)?\s+by\s+([^.;]{{3,120}})", c, re.IGNORECASE)
    if m:
        whom = "us_persons" if re.search(r"United States|U\.S\.|US citizens", m.group(3)) else "domestic"
        yield Found(f"ownership.{whom}_share", op_en(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + "%",
                    m.start())
    # "a minimum of 30% local shareholding"
    for m in re.finditer(rf"({CMP_EN})\s+({NUM})\s*%\s+(?:local|domestic|resident)\s+(?:shareholding|ownership)", c, re.IGNORECASE):
        yield Found("ownership.domestic_share", op_en(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + "%",
                    m.start())


@rule
def ownership_zh(c: str) -> Iterator[Found]:
    m = re.search(rf"(?:内资|中方|境内)[^。；]{{0,10}}?(?:持股|控股)[^。；]{{0,6}}?({CMP_ZH})\s*({NUM})\s*(%|％)", c)
    if m:
        yield Found("ownership.domestic_share", op_zh(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + m.group(3),
                    m.start())


@rule
def legal_form(c: str) -> Iterator[Found]:
    m = re.search(r"\bfor-profit\b|(?:注册|註冊)的居民企业|具有(?:独立|獨立)法人(?:资格|資格)"
                  r"(?=的(?:中小)?(?:企业|企業)|[，。；,;]|$)", c, re.IGNORECASE)
    if m:
        value = "for_profit" if m.group(0).lower() == "for-profit" else "independent_legal_person"
        yield Found("entity_type", "==", value, "", m.group(0), m.start())

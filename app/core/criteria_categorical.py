"""Clause rules for categorical conditions: IP held, location, certifications, clean record,
tax rating, ownership, legal form. Registered into the same RULES table as the numeric ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from app.core.criteria_numeric import (
    CMP_EN,
    CMP_ZH,
    EN_NUM,
    MARK_ZH,
    MODAL_ZH,
    Found,
    count,
    op_en,
    op_zh,
    rule,
)
from app.core.criteria_scope import left_out
from app.core.jurisdiction import load_regions
from app.core.numbers import NUM, parse_number

# the Taiwan terms too: 新型專利 is a utility model, 設計專利 a design patent
_IP_ZH = [("发明专利", "patents.invention"), ("实用新型专利|实用新型|(?<!实用)新型专利", "patents.utility_model"),
          ("软件著作权|软件著作|软著", "patents.software_copyright"),
          ("外观设计专利|(?<!外观)设计专利", "patents.design"), ("知识产权|授权专利|有效专利", "patents.any")]
_KINDS_ZH = _IP_ZH[:4]  # a named kind of IP, held with no count, is at least one of it


_COUNT_ZH = r"(项|件|个)"
_ANY_IP = "|".join(words for words, _ in _IP_ZH)
_AFTER_IP = (r"(?:（[^）]{0,30}）|\([^)]{0,30}\))?(?:授权量|拥有量|授权|登记证书|登记|证书|数量|总数|的数量)?(?:等)?"
             rf"{MODAL_ZH}(?:在|达到|达)?")


def _ip_counts(c: str, words: str) -> Iterator[tuple[re.Match[str], str | None, str, str, str | None]]:
    """(match, comparison, number, counter, tail) of an IP count, the number after the noun or before it:
    "发明专利（含…）2项以上", "发明专利授权量不少于5件", "2项及以上发明专利", "至少持有1项…发明专利"."""
    # "实用新型专利或外观设计专利10项以上": the first of a list of kinds shares the list's count
    listed = rf"(?:(?:或|、|和|及)(?:{_ANY_IP}))*"
    after = rf"(?:{words}){listed}{_AFTER_IP}\s*({CMP_ZH})?\s*({NUM})\s*{_COUNT_ZH}({MARK_ZH}?(?:以上|及以上){MARK_ZH}?)?(?!\s*(?:元|万))"
    for m in re.finditer(after, c):
        yield m, m.group(1), m.group(2), m.group(3), m.group(4)
    before = rf"({CMP_ZH})?\s*({NUM})\s*{_COUNT_ZH}({MARK_ZH}?(?:以上|及以上){MARK_ZH}?)?(?:的)?[^。；，,、或和及\d]{{0,12}}?(?:{words})"
    for m in re.finditer(before, c):
        yield m, m.group(1), m.group(2), m.group(3), m.group(4)


@rule
def ip_zh(c: str) -> Iterator[Found]:
    held = re.search(r"拥有|持有|获得|取得|具有|累计", c)
    counted: list[Found] = []
    for words, field in _IP_ZH:
        for m, word, num, counter, tail in _ip_counts(c, words):
            if word or tail or held:  # "资助3项发明专利" states no condition
                counted.append(Found(field, op_zh(word, tail), parse_number(num), "items", num + counter, m.start()))
        for m in re.finditer(rf"(?:、|或)(?:{words})(?:[、等][^。；，]{{0,12}}?)?\s*(?:合计|共计|累计|总计)?\s*({NUM})\s*(项|件)(以上|及以上)", c):
            counted.append(Found(field, ">=", parse_number(m.group(1)), "items", m.group(1) + m.group(2), m.start()))
    yield from counted
    for words, field in _KINDS_ZH:
        # "拥有发明专利的企业优先", "须持有有效之新型专利": a kind held with no count for it anywhere
        bare = re.search(rf"(?:拥有|持有|具有|具备)(?:有效|授权)?(?:的|之)?({words})(?=的|之|[，。；,;]|$|且|并)", c)
        if bare and all(f.field != field for f in counted):
            yield Found(field, ">=", 1.0, "items", bare.group(1), bare.start())
    core = re.search(r"(?:拥有|获得)[^。；]{0,40}?(核心自主知识产权|核心支持作用的知识产权|知识产权的所有权)", c)
    if core:
        yield Found("patents.any", "exists", None, "", core.group(1), core.start())


@rule
def ip_en(c: str) -> Iterator[Found]:
    kinds = [("invention patents?", "patents.invention"), ("utility model(?: patent)?s?", "patents.utility_model"),
             ("software copyrights?", "patents.software_copyright"), ("patents?", "patents.any")]
    for words, field in kinds:
        # "hold at least one registered patent", "own or have licensed at least one patent"
        # "companies with 3 or more granted patents": the comparison after the count too
        pat = (rf"\b(?:hold|holds|holding|own|owns|owning|have|has|having|with)(?:\s+or\s+(?:have\s+|has\s+)?\w+)?\s+(?:({CMP_EN})\s+)?"
               rf"({NUM}|{EN_NUM})\s+(?:({CMP_EN})\s+)?(?:(?:registered|granted|issued|valid|active)\s+)?(?:{words})\b")
        for m in re.finditer(pat, c, re.IGNORECASE):
            word = m.group(1) or m.group(3)
            yield Found(field, op_en(word) if word else ">=", count(m.group(2)), "items", m.group(2), m.start())
        # "at least one invention patent or two utility model patents": a second count, its verb left out, after
        # the first count's noun
        if re.search(r"\b(?:hold|holds|holding|own|owns|owning|have|has|having|with)\b", c, re.IGNORECASE):
            for m in re.finditer(rf"\b(?:or|and)\s+(?:({CMP_EN})\s+)?({NUM}|{EN_NUM})\s+(?:(?:registered|granted|issued|valid|active)\s+)?"
                                 rf"(?:{words})\b", c, re.IGNORECASE):
                if re.search(r"(?:patents?|copyrights?|models?|designs?)\s*,?\s*$", c[: m.start()], re.IGNORECASE):
                    yield Found(field, op_en(m.group(1)) if m.group(1) else ">=", count(m.group(2)), "items", m.group(2),
                                m.start(2))


# a place name holds no function word ("于申请日前于台北市": the place is 台北市)
# "上市" (listed) is no city: "香港非上市公司" names 香港
_SUFFIXED = r"(?:(?:(?![于在的之前后和及或与并且须应])[\u4e00-\u9fff]){2,8}?(?:自治区|特别行政区|新区|省|(?<!上)市|区|县)){1,3}"
_HERE = r"本市|本省|本区|本县|我市|我省|我区|我县|中国境内"
_OURS = {"我市": "本市", "我省": "本省", "我区": "本区", "我县": "本县"}  # "我市" is the issuer's own city, as 本市
_WITHIN = r"(?:[（(][^）)]{0,20}[）)])?(?:行政区域|行政区|辖区|境|区域|范围)?内?"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_REGISTERS = r"(?:依法)?(?:设立登记|注册登记|注册|登记注册|登记|工商注册|设立)(?:成立|设立)?"  # "在本省依法设立"


@lru_cache(maxsize=1)
def _place() -> str:
    """A place: a name with its administrative suffix, or one the jurisdiction tree knows ("香港")."""
    known = sorted({n for n in load_regions().paths if not n.isascii() and len(n) >= 2}, key=len, reverse=True)
    return rf"(?:{_SUFFIXED}|{'|'.join(map(re.escape, known))})"


@lru_cache(maxsize=1)
def _location_patterns() -> tuple[re.Pattern[str], ...]:
    """The ways a clause ties a firm to a place, compiled once: each holds every place the tree knows, so
    each is slow to compile, and re's own cache, shared with the whole ingest, kept dropping them."""
    one = rf"(?:{_place()}|{_HERE})"
    place = rf"({one}(?:(?:、{one})*(?:或者?|、或){one})?)"  # "北京市或天津市", "广州市、深圳市或珠海市": each allowed
    ties = r"(?:注册地|经营地|关系|登记|注册)"
    return tuple(re.compile(pattern) for pattern in (
        # the place ends the phrase ("住所为本市各级人民法院…的送达地址" names no registered place)
        # "经营场所位于本区": where it does business, as where it is registered
        (rf"(?:注册地|注册地址|住所|(?:生产)?经营(?:场所|地址|地)|办公(?:场所|地址)|营业场所)(?:须|应|均)?"
         rf"(?:在|位于|设在|为){place}(?=$|[，。；,;、\s]|内|且|并|和)"),
        # "本市范围内的中小企业均可申报": the firms within a place
        rf"(?<![在于]){place}(?:行政区域|行政区|辖区|范围)内的[^，。；,;]{{0,6}}?(?:企业|单位|公司)",
        # "注册地和主要经营地均在广州市", "税务征管关系及统计关系均在本区": a list of ties, then where they all are
        rf"{ties}[^，。；,;]{{0,3}}(?:均|都|须|需|应)(?:全部|均|都|须|需|应)?(?:在|位于){place}",
        # "在本市依法纳税", "於新竹市設有營業據點": paying its taxes or keeping its place of business there
        # "在香港有實質業務運作", "在澳門開業": substantive operations or a business opened there
        rf"(?:在|于){place}{_WITHIN}(?:(?:有|设有|具有)实质(?:性)?(?:的)?(?:业务|经营|营运)|开业(?=的|之|、|，|,|。|$|并|且))",
        (rf"(?:在|于){place}{_WITHIN}(?:(?:依法)?纳税(?=的|之|、|，|,|。|$|\s|且|并)|"
         r"设有(?:固定的?)?(?:营业|经营|办公|生产经营)(?:据点|场所|地点|地址))"),
        # "须於臺北市辦理公司登記"
        rf"(?:在|于){place}办理[^，。；,;]{{0,6}}?(?:登记|注册)",
        # "在本市连续经营满两年", "于本区实际经营3年以上": operating there for a span ties the firm to the place
        (rf"(?:在|于){place}{_WITHIN}(?:连续|持续|正常|实际)?(?:生产)?(?:经营|营运|运营)"
         rf"(?=(?:时间|年限)?(?:已满|满|{CMP_ZH}|\d|[一二两三四五六七八九十]))"),
        # "在本市行政区域内注册登记", "在香港注册的公司", "在本区注册并纳税满1年"; "为本市注册的企业": a place
        # right after a copula or a list mark registers there too
        (rf"(?:在|于|(?<=[为是、，,：:])){place}{_WITHIN}(?:完成|办理)?(?:公司|商业|工商)?{_REGISTERS}"
         rf"(?=的|之|、|，|,|。|$|\s|并|且|满|已满|时间|\d|[一二两三四五六七八九十])"),
        # "注册地和主要研发场所均须位于成都高新区": every tie listed, then where they all are
        rf"(?:注册地|注册地址|经营地|住所)[和及与、][^，。；,;]{{1,10}}?(?:均|都)(?:须|需|应|必须)?(?:在|位于){place}",
        # "公司须设立于高雄市", "企业应注册于本区": the registering verb, then the place
        # "企业注册在天河区", "依香港法例注册的公司": registered in, or under the laws of, a place
        rf"(?<![在于])(?:注册|登记注册|注册登记)(?:于|在){place}(?=$|[，。；,;]|内|且|并|的|之)",
        rf"依(?:照|据)?{place}(?:的)?(?:法例|法律|法规)[^，。；,;]{{0,8}}?(?:注册|成立|设立|登记)",
        (rf"(?:须|需|应|应当|必须)(?:依法)?(?:设立|注册|登记|设立登记|注册登记)(?:于|在){place}"
         rf"(?=$|[，。；,;]|内|且|并|的|之)"),
        # "…不超过50人的香港非上市公司", "须为本市中小企业": the place names the kind of firm that ends the clause
        (rf"(?:的|(?:须|应|需|必须)为){place}(?:非上市|本地|中小微|中小|小微|民营|私营)?(?:公司|企业)"
         r"(?=$|[，。；,;])"),
    ))


@rule
def location_zh(c: str) -> Iterator[Found]:
    if not _HAN.search(c):
        return  # each pattern holds Chinese words of its own ("注册地", "在", "依"), so an English clause matches none
    found = [m for pattern in _location_patterns() for m in pattern.finditer(c)]
    for m in found:
        places = tuple(_OURS.get(p, p) for p in re.split(r"或者?|、或|、", m.group(1)))
        yield Found("region", "in", places, "", m.group(1), m.start())


# "in California or Massachusetts", "in Texas, Ohio or Utah": places joined by or are each allowed
_PLACE_EN = r"(?:the\s+)?[A-Z][A-Za-z]+(?:\s+(?:and\s+|of\s+)?[A-Z][A-Za-z]+){0,3}"  # "the Republic of Ireland"
_PLACES_EN = rf"({_PLACE_EN}(?:(?:\s*,\s*{_PLACE_EN})*\s*,?\s+or\s+(?:in\s+)?{_PLACE_EN})?)"


def _places(text: str) -> tuple[str, ...]:
    return tuple(re.sub(r"^(?:in\s+)?the\s+", "", p.strip()) for p in re.split(r"\s*,\s*(?:or\s+)?|\s+or\s+(?:in\s+)?", text))


@rule
def location_en(c: str) -> Iterator[Found]:
    pat = (r"(?:located|registered|incorporated|organi[sz]ed|domiciled|based|headquartered|established)"
           r"(?:\s+and\s+(?:operating|located|based|trading))?"
           r"(?:\s+with\s+the\s+[A-Z][\w ]{0,40}?)?"  # "registered with the Companies Registry in Hong Kong"
           rf"\s+in\s+(?:the\s+(?:[Ss]tate|[Pp]rovince|[Cc]ommonwealth)\s+of\s+)?{_PLACES_EN}")
    office = (r"(?:(?:registered|principal|head)\s+office|(?:principal|main)\s+place\s+of\s+business|headquarters)\s+"
              r"(?:(?:is|must\s+be|shall\s+be|should\s+be)\s+)?"
              rf"(?:located\s+)?in\s+(?:the\s+(?:[Ss]tate|[Pp]rovince|[Cc]ommonwealth)\s+of\s+)?{_PLACES_EN}")
    # "incorporated under the laws of Delaware"
    laws = (r"(?:incorporated|organi[sz]ed|registered|formed|established)\s+under\s+the\s+laws?\s+of\s+"
            rf"(?:the\s+(?:[Ss]tate|[Pp]rovince|[Cc]ommonwealth)\s+of\s+)?{_PLACES_EN}")
    for m in [*re.finditer(pat, c), *re.finditer(office, c), *re.finditer(laws, c)]:
        places = _places(m.group(1))
        text = re.sub(r"^the\s+", "", m.group(1))
        yield Found("region", "in", places, "", text, m.start())
    # "established in an EU Member State", "based in a Member State of the European Union": the Union
    union = (r"(?:located|registered|incorporated|established|based|headquartered)\s+in\s+(?:an?\s+)?"
             r"(?:(EU|European\s+Union)\s+[Mm]ember\s+[Ss]tate|[Mm]ember\s+[Ss]tate\s+of\s+the\s+(EU|European\s+Union))")
    for m in re.finditer(union, c):
        yield Found("region", "in", ("EU",), "", m.group(1) or m.group(2), m.start())
    # "a UK registered business", "UK-based SMEs", "a Singapore-incorporated company"
    for m in re.finditer(r"\b(?:([A-Z]{2,3})[\s-]|((?:[A-Z][a-z]+\s)?[A-Z][a-z]+)-)(?:registered|incorporated|based|headquartered)\b", c):
        place = m.group(1) or m.group(2)
        if m.group(1) and m.group(1).lower() not in load_regions().paths:
            continue  # "VAT registered": an acronym that names no place
        if not any(re.match(words, c[m.start():], re.IGNORECASE) for words, _ in _CERTS):  # "Technology-based SME"
            yield Found("region", "in", (place,), "", place, m.start())


_CERTS = [
    ("专精特新[“「『\"]?小巨人[”」』\"]?|小巨人|little giant", "专精特新小巨人"),
    # "specialised and sophisticated SMEs", "specialized, refined, distinctive and innovative": the English names of 专精特新
    (("专精特新中小企业|專精特新中小企業|专精特新企业|專精特新企業|"
      r"speciali[sz]ed(?:,?\s+(?:and\s+)?(?:sophisticated|refined|distinctive|differentiated|innovative|novel|unique)){1,3}"),
     "专精特新中小企业"),
    ("高新技术企业|高新技術企業|high-tech enterprise|high and new technology enterprise|HNTE", "高新技术企业"),
    ("科技型中小企业|科技型中小企業|tech-based SME|technology-based SME", "科技型中小企业"),
    ("创新型中小企业|創新型中小企業", "创新型中小企业"),
]
_HOLD = r"(?:(?:须|应|需|必须|应当)(?:为|是)|(?<=企业|单位|对象|主体)为|(?<=申请人|借款人)为|属于|取得|获得|认定为|已认定|已被认定为|获认定|获评|被评为|评为|评定为|入库|入选|must be an?|be an?|is an?|(?:certified|recogni[sz]ed|listed|registered|accredited)\s+as(?:\s+an?)?|holding an?)"
# who granted it ("已认定的", "本市认定的", "经省认定的")
_ISSUED = r"(?:(?:经|已被|已)?(?:本市|本省|本区|国家|省|市|区)?(?:认定|评定|认证)[的之]?)?"
# the administrative level a certification is granted at ("国家级", "省级专精特新中小企业")
_LEVELS = r"(?:国家级?|省级|市级|区级|县级)"
_AND_UP = r"(?:及以上|以上)?"  # "省级及以上专精特新中小企业": the level and any above it
_LEVEL = rf"(?:{_LEVELS}{_AND_UP}(?:[或、和及]{_LEVELS}{_AND_UP})*|certified\s+|recogni[sz]ed\s+|registered\s+|national\s+|provincial\s+|municipal\s+)?"  # "国家级或省级专精特新中小企业"


# "拥有有效的国家高新技术企业证书": holding the certificate states the certification
# "具有有效的高新技术企业资格": the standing, title or qualification held states it too
_CERTIFICATE = (r"(?:拥有|持有|具有|具备|\bholds?\s|\bhave\s|\bhas\s)[^，。；,;]{{0,12}}?({words})\s*(?:资格)?(?:入库)?(?:登记)?"
                r"(?:证书|编号|certificate|资格|称号|资质)")
# "应已在全国科技型中小企业信息服务平台完成入库", "须已通过科技型中小企业评价入库": entered in the register
# of a certification (入库 is how 科技型中小企业 is granted), stated as done, not as what it takes
_LISTED = (r"(?:已|须|需|应|必须|应当)[^，。；,;]{{0,8}}?(?:在|通过|于)?[^，。；,;]{{0,6}}?({words})"
           r"[^，。；,;]{{0,16}}?(?:完成|通过)?[^，。；,;]{{0,6}}?(?:评价)?入库(?!后|的条件|须|需|应|条件)")
# "须通过高新技术企业认定", "已通过科技型中小企业评价": the assessment passed, not what it takes ("通过…认定后可享受")
_PASSED = r"通过[^，。；,;]{{0,8}}?({words})(?:的)?(?:认定|评价|认证|复审|评定)(?!后|的条件|须|需|应|条件)"
# "…、…均可申报": every kind of firm named before it may apply (one requirement with options)
_MAY_APPLY = re.compile(r"^[^，。；,;]{4,80}?(?:均|皆|都)可(?:以)?(?:申报|申請|申请|申報|参加|參加)")
# "a certified high-tech enterprise or a technology-based SME": one holding verb, several certifications
_ALSO = (rf"[”」』\"]?\s*(?:企业|enterprises|companies|firms)?\s*,?\s*(?:、|或者?|和|及|\bor\b|\band\b)\s*(?:as\s+)?"
         rf"(?:an?\s+|the\s+)?{_LEVEL}(?:“|「|\")?")


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
            yield from _listed_after(c, held.end())  # "…企业证书或科技型中小企业入库登记编号"
            continue
        # "须为本市注册的高新技术企业", "須為工信部認定之…": a short modifier ending in 的 / 之 may stand between the
        # copula and the name
        m = re.search(rf"{_HOLD}\s*(?:[^，。；,;“”\"]{{0,10}}?[的之])?{_ISSUED}[的之]?\s*{_LEVEL}(?:“|「|\")?({words})", c,
                      re.IGNORECASE)
        # "认定为高新技术企业须…" states what it takes to become one (an outcome); "…可享受" a benefit of holding it
        outcome = m and re.match(r"”?\s*(?:的|后)?\s*(?:须|需|应|conditions|criteria|must meet)",
                                 c[m.end():], re.IGNORECASE)
        if m and not outcome and not re.search(r"(?:不是|并非|非)\s*$", c[: m.start(1)]):
            yield Found("certifications", "contains", label, "", m.group(1), m.start(1))
            yield from _listed_after(c, m.end())
        elif listed := re.search(_LISTED.format(words=words), c, re.IGNORECASE):
            yield Found("certifications", "contains", label, "", listed.group(1), listed.start(1))
        elif passed := re.search(_PASSED.format(words=words), c):
            yield Found("certifications", "contains", label, "", passed.group(1), passed.start(1))
        elif (may := _MAY_APPLY.search(c)) and (named := re.search(rf"(?:{_LEVELS}{_AND_UP})?[“「\"]?({words})", c[: may.end()])):
            # "国家级专精特新“小巨人”企业、省级专精特新中小企业均可申报": the kinds of firm named before "may apply"
            yield Found("certifications", "contains", label, "", named.group(1), named.start(1))


# each risk a clean-record clause can rule out, by the families of words policies use for it
# 品质 is the Taiwan word for quality
_INCIDENTS = [("(?:重大|较大)(?:及?以上)?(?:生产)?安全(?:生产)?", "major_safety_incident"),
              ("重大(?:产品)?(?:质量|品质)", "major_quality_incident"),
              ("环境违法|环境污染|环境事件|重大环境|重大环保|环保违规|环保违法", "serious_environmental_violation"),
              ("严重失信|违法失信|失信被执行人|失信[^，。；]{0,8}?名单|失信(?:联合)?惩戒对象", "serious_dishonesty"),
              ("经营异常名录", "abnormal_operations_list"), ("行政处罚", "administrative_penalty"),
              # "拖欠贷款本息", "拖欠税款": arrears on a loan or a tax (not on wages)
              (("逾期(?:贷款|还款|记录|未还)|(?:(?<=无)|(?<=没有)|(?<=不得有))逾期|贷款逾期|欠息|欠税|欠缴|"
                "拖欠[^，。；]{0,6}?(?:贷款|借款|本息|利息|税款|债务)"), "overdue_debt"),
              ("违约|逃废债|逃废(?:银行)?债务", "default"),
              ("重大违法|违法违规|(?:重大|严重)违规", "serious_violation")]
# "重大安全、环保、质量事故": one degree word and one noun shared by a list of domains
_DOMAINS = r"(?:安全生产|生产安全|安全|环境保护|环保|环境|产品质量|质量|品质)"
_SHARED = re.compile(rf"(重大|严重|较大)({_DOMAINS}(?:[、和及或]?{_DOMAINS})+)")  # "重大质量安全事故" too
# "安全生产、环境保护、产品质量等方面的重大事故": the list first, then the degree word and the noun
_SHARED_AFTER = re.compile(rf"({_DOMAINS}(?:[、和及或]{_DOMAINS})+)(?:等)?(?:方面|领域)?的?(重大|严重|较大)(?=事故|事件|违法)")


def _distributed(text: str) -> str:
    text = _SHARED_AFTER.sub(lambda m: "、".join(m.group(2) + d for d in re.findall(_DOMAINS, m.group(1))), text)
    return _SHARED.sub(lambda m: "、".join(m.group(1) + d for d in re.findall(_DOMAINS, m.group(2))), text)
_NEGATED_ZH = r"(未发生|未曾有|未曾|未有|无|没有|未列入|未被列入|未被|不存在|未受到|未因|不得为|不得是|不属于|不得有|不得处于|未处于|不处于)"  # 未被 + an agent: "未被市场监管部门列入"


def _window_zh(c: str) -> float | None:
    window = re.search(rf"(?:近|最近|前|申请认定前)({NUM})\s*(年|个月)", c)
    if window:
        return parse_number(window.group(1)) / (12 if window.group(2) == "个月" else 1)
    return 1.0 if re.search(r"(?:申请认定前|近)一年内", c) else None


@rule
def clean_record_zh(c: str) -> Iterator[Found]:
    m = re.search(_NEGATED_ZH, c)
    if m:
        tail = _distributed(c[m.start():])
        hits = sorted((h.start(), label) for words, label in _INCIDENTS if (h := re.search(words, tail)))
        found = tuple(dict.fromkeys(label for _, label in hits))
        if found:
            yield Found("risk_signals", "not_in", found, "", m.group(1), m.start(), window_years=_window_zh(c))
            return
    yield from _left_out_for(c, _INCIDENTS, 0, _window_zh(c))


def _left_out_for(c: str, incidents: list[tuple[str, str]], flags: int, years: float | None) -> Iterator[Found]:
    """"受到行政处罚的企业不予支持", "applicants subject to an administrative penalty shall not be eligible":
    the firms left out are those with a record, so an eligible firm has none."""
    span = left_out(c)
    if span is None:
        return
    part = _distributed(c[span[0] : span[1]])
    hits = sorted((h.start(), h.group(0), label) for words, label in incidents if (h := re.search(words, part, flags)))
    if hits and part == c[span[0] : span[1]]:  # the words as written, to ground the criterion
        labels = tuple(dict.fromkeys(label for _, _, label in hits))
        yield Found("risk_signals", "not_in", labels, "", hits[0][1], span[0] + hits[0][0], window_years=years)


_INCIDENTS_EN = [(r"(?:overdue|unpaid|outstanding)\s+(?:[\w-]+\s+(?:or\s+|and\s+)?){0,3}?(?:loans?|payments?|debts?|repayments?|taxe?s?)\b|tax\s+(?:debts?|arrears)|arrears", "overdue_debt"),
                 (r"(?:loan\s+)?defaults?\b|defaulted", "default"),
                 (r"(?:production\s+)?safety\s+(?:accidents?|incidents?)", "major_safety_incident"),
                 (r"(?:product\s+)?quality\s+(?:accidents?|incidents?)", "major_quality_incident"),
                 (r"administrative\s+(?:penalt(?:y|ies)|sanctions?)", "administrative_penalty"),
                 (r"dishonest\s+(?:judgment\s+)?(?:debtors?|persons?|entit(?:y|ies))|blacklist(?:ed)?", "serious_dishonesty"),
                 (r"abnormal\s+(?:business\s+)?operations?", "abnormal_operations_list"),
                 (r"(?:serious\s+|major\s+)?environmental\s+(?:offen[cs]es?|violations?|breach(?:es)?|crimes?)",
                  "serious_environmental_violation"),
                 (r"(?:serious\s+|major\s+)?(?<!environmental )violations|(?<!administrative )penalties", "serious_violation")]


@rule
def clean_record_en(c: str) -> Iterator[Found]:
    """"no overdue loans or defaults", "must not have been subject to any administrative penalty",
    "no outstanding tax debts", "no record of loan defaults or overdue payments in the past three years"."""
    m = re.search(r"\b(?:no|not|never|without|free\s+(?:of|from))\b", c, re.IGNORECASE)
    tail = c[m.start():] if m else ""
    hits = sorted((h.start(), h.end(), label) for words, label in _INCIDENTS_EN
                  if (h := re.search(words, tail, re.IGNORECASE)))
    window = re.search(r"in\s+the\s+(?:past|last)\s+(\w+)\s+years?", c, re.IGNORECASE)
    years = count(window.group(1)) if window and re.fullmatch(rf"{NUM}|{EN_NUM}", window.group(1), re.IGNORECASE) else None
    if m and hits and hits[0][0] <= 60:
        labels = tuple(dict.fromkeys(label for _, _, label in hits))
        yield Found("risk_signals", "not_in", labels, "", tail[: hits[0][1]], m.start(), window_years=years)
    else:
        yield from _left_out_for(c, _INCIDENTS_EN, re.IGNORECASE, years)


@rule
def tax_rating(c: str) -> Iterator[Found]:
    """"纳税信用等级为B级以上", "纳税信用评价为A级", "纳税信用等级不低于B级", "A级或B级"."""
    # "被评为C级、D级的企业不得申报": the grades of firms left out (criteria_scope turns them into the others)
    # "纳税评级为A、B、M级", "A级、B级或M级": any number of grades listed
    m = re.search(rf"纳税(?:信用(?:等级|级别|评价|评级|评价等级)?|等级|级别|评级)(?:结果)?{MODAL_ZH}(?:被评为|被评定为|评为|为|在|是)?\s*"
                  r"(不低于|不得低于|至少|达到)?\s*([ABMCD])\s*级?((?:\s*(?:或|、|和|及|,|，)\s*[ABMCD]\s*级?)*)(?:（含）|\(含\))?"
                  r"(以上|及以上)?", c)
    if m:
        grades = ("A", "B", "M", "C", "D")
        best = [m.group(2), *re.findall(r"[ABMCD]", m.group(3) or "")]
        at_least = m.group(4) or m.group(1) in ("不低于", "不得低于", "至少", "达到")
        allowed = grades[: grades.index(best[-1]) + 1] if at_least else tuple(best)
        yield Found("tax_rating", "in", tuple(allowed), "", m.group(0)[-6:].strip(), m.start())


@rule
def tax_rating_en(c: str) -> Iterator[Found]:
    """"a tax credit rating of A or B", "tax credit rating of B or above"."""
    # the words in any case, the grades in capitals ("rating of a …" is no grade)
    m = re.search(r"\b(?i:tax\s+(?:credit\s+)?rating\s+(?:of|is|must\s+be|at)?\s*(?:grade\s+)?)([ABMCD])\b"
                  r"(?:\s+or\s+([ABMCD])\b)?((?i:\s+or\s+(?:above|higher|better)))?", c)
    if m:
        grades = ("A", "B", "M", "C", "D")
        best = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        allowed = grades[: grades.index(best[-1]) + 1] if m.group(3) else tuple(best)
        yield Found("tax_rating", "in", tuple(allowed), "", m.group(0).split()[-1], m.start())


@rule
def ownership_en(c: str) -> Iterator[Found]:
    # "at least 51% owned …", "at least 51 percent owned and controlled by …"
    m = re.search(rf"({CMP_EN})\s+({NUM})(\s*%|\s*per\s*cent)\s+owned(?:\s+and\s+controlled)?\s+by\s+([^.;]{{3,120}})", c,
                  re.IGNORECASE)
    if m:
        owners = c[m.start(4) : m.start(4) + 120]  # "… who are U.S. citizens": the owners' words, abbreviations' dots too
        if re.match(r"(?:one\s+or\s+more\s+)?(?:foreign|overseas|non-resident|offshore)\b", m.group(4), re.IGNORECASE):
            # "more than 50% owned by foreign investors": a bound on the foreign share
            yield _foreign(op_en(m.group(1)), m.group(2), m.group(2) + m.group(3), m.start())
            return
        whom = "us_persons" if re.search(r"United States|U\.S\.|US citizens", owners) else "domestic"
        # the domestic share is held by citizens, residents or locals; "51% owned by women" bounds no such share
        if whom == "us_persons" or re.search(r"\b(?:citizens?|residents?|nationals?|local|domestic)\b", owners, re.IGNORECASE):
            yield Found(f"ownership.{whom}_share", op_en(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + m.group(3),
                        m.start())
    # "no more than 49% of the company may be owned by foreign entities": a share of the firm, then its owners
    for m in re.finditer(rf"({CMP_EN})\s+({NUM})\s*(%|\s*per\s*cent|\s*percent)\s+of\s+(?:the\s+|its\s+)?"
                         r"(?:company|business|firm|applicant|enterprise|shares|equity)(?:'s\s+(?:shares|equity))?[^.;]{0,30}?"
                         r"\bowned\s+by\s+(?:one\s+or\s+more\s+)?(foreign|overseas|non-resident|U\.S\.|US|United\s+States|local|domestic)\b",
                         c, re.IGNORECASE):
        owners = m.group(4).lower()
        if owners in ("foreign", "overseas", "non-resident"):
            yield _foreign(op_en(m.group(1)), m.group(2), m.group(2) + m.group(3), m.start())
        else:
            whom = "domestic" if owners in ("local", "domestic") else "us_persons"
            yield Found(f"ownership.{whom}_share", op_en(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + m.group(3),
                        m.start())
    # "foreign ownership must not exceed 49%", "foreign shareholding of no more than 49%"
    for m in re.finditer(rf"\bforeign(?:\s+|-)(?:ownership|shareholding|equity|investors?'?\s+(?:share|stake))"
                         rf"[^.;%]{{0,30}}?({CMP_EN})\s+({NUM})\s*%", c, re.IGNORECASE):
        yield _foreign(op_en(m.group(1)), m.group(2), m.group(2) + "%", m.start())
    # "a minimum of 30% local shareholding"
    for m in re.finditer(rf"({CMP_EN})\s+({NUM})\s*%\s+(?:local|domestic|resident|(?-i:[A-Z])[a-z]+)\s+(?:shareholding|ownership|equity|stake)", c,
                         re.IGNORECASE):  # "51% Singaporean shareholding": a nationality is local
        yield Found("ownership.domestic_share", op_en(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + "%",
                    m.start())


# a bound on the foreign share is one on the domestic share: foreign > 50% is domestic < 50%
_MIRROR = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


def _foreign(op: str, share: str, text: str, start: int) -> Found:
    return Found("ownership.domestic_share", _MIRROR[op], 100 - parse_number(share), "%", text, start)


@rule
def ownership_zh(c: str) -> Iterator[Found]:
    m = re.search(rf"(?:内资|中方|境内)[^。；]{{0,10}}?(?:持股|控股)[^。；]{{0,6}}?({CMP_ZH})\s*({NUM})\s*(%|％)", c)
    if m:
        yield Found("ownership.domestic_share", op_zh(m.group(1)), parse_number(m.group(2)), "%", m.group(2) + m.group(3),
                    m.start())
    # "外资持股比例超过50%", "外方持股不得超过49%", "境外投资者持股比例低于25%"
    m = re.search(rf"(?:外资|外方|外商|境外(?:投资者|投资方|股东)?)[^。；，,]{{0,8}}?(?:持股|股权|出资)[^。；，,]{{0,6}}?"
                  rf"({CMP_ZH})\s*({NUM})\s*(%|％)(以上|以下|及以上|及以下)?", c)
    if m:
        yield _foreign(op_zh(m.group(1), m.group(4)), m.group(2), m.group(2) + m.group(3), m.start())


@rule
def legal_form(c: str) -> Iterator[Found]:
    # "具有独立法人资格的中小微企业", "独立法人企业"
    m = re.search(r"\bfor-profit\b|注册的居民企业|(?:具有|具备)独立法人资格(?=的[^，。；,;]{0,6}?(?:企业|公司|单位)|[，。；,;]|$)|"
                  r"独立法人(?=企业|单位)", c, re.IGNORECASE)
    if m:
        value = "for_profit" if m.group(0).lower() == "for-profit" else "independent_legal_person"
        yield Found("entity_type", "==", value, "", m.group(0), m.start())

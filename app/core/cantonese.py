"""Colloquial written Cantonese questions, read as Standard Written Chinese.

Relationship managers in Hong Kong type questions in colloquial written Cantonese ("Aurora幾時成立㗎？",
"A轮融咗几多钱？边个领投？"). Everything downstream (intent routing, question parsing, jieba
segmentation, lexical answer checks) expects Standard Written Chinese (Mandarin), so this module gives
``mandarin_form(question)``: the same question with the Cantonese function words and the most common
colloquial verbs and adverbs replaced by their Standard Written Chinese equivalents. It is a form for
*reading* the question; the user's own words are kept elsewhere.

The table below is general Cantonese grammar and vocabulary, written from standard references
(Matthews & Yip, *Cantonese: A Comprehensive Grammar*, Routledge, 2nd ed. 2011: aspect markers,
classifiers, negation, question words, sentence-final particles; and Wiktionary's Cantonese entries for
the characters, e.g. 咗, 嘅, 冇, 啲, 嗰, 攞, 搵, 啱), not fitted to any question set.

Rules:

* A text without Cantonese markers is returned unchanged, so Mandarin questions never change.
  ``has_cantonese`` looks for characters essentially unique to written Cantonese (咗 嘅 唔 冇 啲 佢 哋
  㗎 嘢 喺 嚟 睇 嗰 攞 搵 咁 噉 啱 乜 咩 俾 畀 喎 囉 啩 …) and unambiguous words (幾多, 邊個, 點樣,
  係咪, 而家 …). Words that Mandarin also writes (係 in 關係, 仲 in 仲裁, 嘛 and 啦 as Mandarin
  particles, 幾時, 宜家 = IKEA) are replaced only inside a text that is already Cantonese.
* The script is kept: a question written in Traditional characters gets Traditional replacements,
  one written in Simplified characters (or an even mix) gets Simplified ones
  (``app.core.textnorm.written_traditional`` decides).
* One left-to-right pass, longest match first, so nothing is replaced twice; protected Mandarin
  compounds (關係, 係數, 仲裁, 俾斯麥, 喇叭 …) are matched as themselves and kept; 邊/边 is read as
  "which" only when it does not follow a word it is the "side" of (旁邊, 海邊, 一邊 …); 點/点 likewise
  (重點, 一點). Every other character, digit, Latin word and punctuation mark is kept as written.

Choices worth knowing: 邊個 becomes 哪個 (not 誰) because RMs ask "which" of firms and investors as
often as "who", and 哪個 reads right for both; 佢 becomes 它 (questions are mostly about companies);
adjective + 啲 (快啲, 多啲) becomes adjective + 一點; a question-final 咩 becomes 嗎 except after a
verb that takes it as an object (係咩, 有咩, 做咩 → 是什麼, 有什麼, 做什麼); sentence-final particles
(㗎 喎 囉 啩 嘛 吖 喇 啦 嘞 啫) are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from app.core.textnorm import to_simplified, written_traditional

__all__ = ["has_cantonese", "mandarin_form", "table_size"]


class _Rule(NamedTuple):
    pattern: str  # regex source for the matched text (with any look-around context)
    length: int  # characters the literal key consumes: longer keys are tried first
    context: bool  # has look-around context: tried before a plain key of the same length
    out: str | None  # Traditional replacement; None keeps the matched text (a protected compound)
    marker: bool  # its presence alone shows the text is Cantonese


# A particle is sentence-final when only particles, spaces and then punctuation or the end follow.
_PARTICLES = "㗎喎囉啰啩嘛吖喇啦嘞啫呀啊嗎吗咩"
_FINAL = rf"(?=[{_PARTICLES}]*\s*(?:[，,。．.？?！!；;：:、…~～）)」』]|$))"
# 邊/边 after one of these is "side" (旁邊, 海邊, 一邊…一邊…), not "which".
_SIDE_OF = "旁這这那哪左右海河湖江岸周身外裏裡里內内東东西南北上下前後后兩两一二三四半天路床手耳嘴窗門门街池溪山田無无花框側侧底多單单雙双桌靠沿每各另同邊边"
# 點/点 after one of these is "point" (重點, 一點, 要點, 觀點…), not "how".
_POINT_OF = "一重要特觀观論论缺優优焦亮弱終终起節节標标地景考盲疑難难基據据拐沸熔冰斑污落雨小原頂顶高低支極极零幾几半兩两三四五六七八九十多賣卖網网站"
# 而家 in Mandarin text: 而 + 家族 / 家庭 / 家長 …
_JIA_COMPOUND = "族庭長长屬属人具電电裡里中鄉乡教園园居務务用事譜谱產产"


def _rules() -> list[_Rule]:
    rules: list[_Rule] = []

    def add(keys: str, out: str | None, marker: bool = True, before: str = "", after: str = "") -> None:
        for key in keys.split():
            pattern = before + re.escape(key) + after
            rules.append(_Rule(pattern, len(key), bool(before or after), out, marker))

    def keep(keys: str) -> None:
        add(keys, None, marker=False)

    # --- Mandarin compounds that contain a character the table would otherwise replace -------------
    keep("關係 关係 聯係 联係 維係 维係 干係 幹係 係數 係数 係屬 係属")
    keep("仲裁 仲介 仲夏 仲秋 仲春 仲冬 伯仲 杜仲")
    keep("俾斯麥 俾斯麦 俾使 俾便 俾能 畀予")
    keep("囉嗦 囉唆 啰嗦 啰唆 喇叭 喇嘛 吖啶 吖嗪 啦啦隊 啦啦队 宜家家居")

    # --- aspect, structure, negation, copula ------------------------------------------------------
    add("咗", "了")
    add("咗未", "了沒有")
    add("嘅", "的")
    add("唔", "不")
    add("唔該 唔该", "請")
    add("唔好", "不要")
    add("唔使 唔駛 唔驶 唔洗", "不用")
    add("使唔使 駛唔駛 驶唔驶", "需不需要")
    add("唔知", "不知道", after="(?!道)")
    add("係", "是", marker=False)  # the copula; 關係 / 係數 … are kept above
    add("係咪 系咪 係唔係 系唔系", "是不是")
    add("定係", "還是", marker=False, after="(?![數数])")
    add("冇", "沒有")
    add("有冇", "有沒有")
    add("得唔得", "可不可以")

    # --- pronouns, plural, quantity ------------------------------------------------------------------
    add("佢", "它")
    add("佢哋", "他們")
    add("哋", "們")
    add("人哋", "人家")
    add("啲", "些")
    add("啲", "一點", before="(?<=[快多少大細细平貴贵高低早遲迟好長长短詳详簡简清楚])")
    add("嘢", "東西")
    add("幾多 几多", "多少")
    add("幾耐 几耐", "多久")
    add("幾錢 几钱", "多少錢", marker=False)
    add("幾時 几时", "什麼時候", marker=False)  # also literary Mandarin: only inside Cantonese text

    # --- question words --------------------------------------------------------------------------
    add("乜 乜嘢 咩嘢 乜野 咩野", "什麼")
    add("為咩 为咩 為乜 为乜", "為什麼")
    add("咩", "什麼")
    add("咩", "嗎", before="(?<![係系有做為为講讲叫用要睇搞乜])", after=_FINAL)
    add("點樣 点样", "怎樣", before=f"(?<![{_POINT_OF}])", after="(?![本品])")
    add("點解 点解", "為什麼", before=f"(?<![{_POINT_OF}])", after="(?![釋释讀读析答說说碼码題题開开除])")
    add("點做 点做", "怎麼做", marker=False, before=f"(?<![{_POINT_OF}])")
    add("點計 点计", "怎麼計算", marker=False, before=f"(?<![{_POINT_OF}])")
    add("點睇 点睇", "怎麼看", before=f"(?<![{_POINT_OF}])")
    add("點先 点先", "怎樣才", marker=False, before=f"(?<![{_POINT_OF}])")

    # --- 呢 (this) / 嗰 (that) / 邊 (which) + classifier -------------------------------------------------
    strong = "個个間间條条筆笔單单項项隻輪轮張张"  # 呢 + these is Cantonese, never Mandarin's final 呢
    weak = "份位種种類类家次件款套宗兩两幾几"  # could follow a Mandarin 呢 in run-on text
    for cls in strong:
        add(f"呢{cls}", f"這{cls}")
    for cls in weak:
        add(f"呢{cls}", f"這{cls}", marker=False)
    add("呢一", "這一", marker=False, after="(?!般)")
    add("呢度 呢處 呢处", "這裡")
    add("呢啲", "這些")
    add("呢邊 呢边", "這邊")
    add("呢排", "最近")
    add("呢陣 呢阵 呢陣時 呢阵时", "現在")

    add("嗰 𠮶", "那")
    add("嗰度 嗰處 𠮶度 𠮶处", "那裡")
    add("嗰啲 𠮶啲", "那些")
    add("嗰排 𠮶排", "那段時間")
    add("嗰陣 嗰陣時 𠮶阵 𠮶阵时", "那時候")
    add("嗰日 𠮶日", "那天")

    side = f"(?<![{_SIDE_OF}])"
    for trad, simp in ("個个", "條条", "筆笔", "單单", "項项", "輪轮", "張张", "種种", "類类", "樣样"):
        add(f"邊{trad} 边{simp}", f"哪{trad}", before=side)
    for cls in "份位家次件款套年期季部本批宗段句方隻一":
        add(f"邊{cls} 边{cls}", f"哪{cls}", before=side)
    add("邊間 边间", "哪家", before=side)
    add("邊度 边度 邊處 边处 邊到 边到", "哪裡", before=side)
    add("邊啲 边啲", "哪些", before=side)
    add("邊日 边日", "哪天", before=side)
    add("邊邊 边边", "哪邊", before=side)
    add("邊陣 边阵", "什麼時候", before=side)

    # --- adverbs, time words -----------------------------------------------------------------------
    add("而家", "現在", after=f"(?![{_JIA_COMPOUND}])")
    add("宜家", "現在", marker=False, after=f"(?![{_JIA_COMPOUND}])")  # also IKEA's Chinese name
    add("咁", "這麼")
    add("咁", "那麼", before=r"(?:^|(?<=[，,。？?！!；;\s]))")  # clause-initial: "so, …"
    add("咁就", "那就")
    add("咁多", "這麼多")
    add("咁樣 咁样 噉 噉樣 噉样", "這樣")
    add("仲", "還", marker=False)
    add("仲未", "還沒", marker=False)
    add("啱", "合適")
    add("啱唔啱", "適不適合")  # "它適不適合高企貸": 合不合適 reads badly before an object
    add("啱啱", "剛剛")
    add("啱先", "剛才")
    add("下晝 下昼", "下午")
    add("上晝 上昼", "上午")
    add("朝早", "早上")
    add("聽日 听日", "明天")
    add("聽朝 听朝", "明天早上")
    add("聽晚 听晚", "明晚")
    add("琴日 尋日 寻日 噚日", "昨天")
    add("琴晚 尋晚 寻晚 噚晚", "昨晚")

    # --- common verbs --------------------------------------------------------------------------------
    add("喺", "在")
    add("喺度", "在")
    add("嚟", "來")
    add("嚟緊 嚟紧", "接下來")
    add("睇", "看")
    add("睇吓", "看看")
    add("俾 畀", "給")
    add("攞", "拿")
    add("搵 揾", "找")
    add("諗 谂", "想")
    add("鍾意 钟意", "喜歡")
    add("話我知 话我知 講俾我知 讲俾我知 講畀我知 讲畀我知", "告訴我")

    # --- sentence-final particles --------------------------------------------------------------------
    add("㗎 喎 啩", "")
    add("囉 啰 啫", "", after=_FINAL)
    add("嘛 吖 喇 啦 嘞", "", marker=False, after=_FINAL)

    # longest key first; a key with context before the same key without it
    return sorted(rules, key=lambda rule: (-rule.length, not rule.context))


_RULES = _rules()
_PATTERN = re.compile("|".join(f"(?P<r{i}>{rule.pattern})" for i, rule in enumerate(_RULES)))


def table_size() -> int:
    """Number of (key, replacement) entries in the table, protected compounds included."""
    return len(_RULES)


def _rule_of(match: re.Match[str]) -> _Rule:
    name = match.lastgroup
    assert name is not None
    return _RULES[int(name[1:])]


def has_cantonese(text: str) -> bool:
    """Whether the text shows colloquial written Cantonese (a marker character or word)."""
    return any(_rule_of(m).marker for m in _PATTERN.finditer(text))


@lru_cache(maxsize=256)
def _simplified(out: str) -> str:
    return to_simplified(out)


# a verb asked whether it can reach its end, A-not-A with 到 ("過唔過到", "申唔申到"): "can it", 能不能 + the verb
_CAN_REACH = re.compile(r"([\u4e00-\u9fff])唔\1到")


def mandarin_form(text: str) -> str:
    """The question in Standard Written Chinese, in the script it was written in; a text without
    Cantonese markers is returned unchanged."""
    if not has_cantonese(text):
        return text
    traditional = written_traditional(text)
    text = _CAN_REACH.sub(r"能不能\1", text)  # "過唔過到", "申唔申到": can it pass, can it get (能不能過)

    def replace(match: re.Match[str]) -> str:
        out = _rule_of(match).out
        if out is None:
            return match.group(0)
        return out if traditional else _simplified(out)

    return _PATTERN.sub(replace, text)

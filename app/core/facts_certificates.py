"""Certificates the firm holds as facts: a certification named beside a certificate's own words
(证书编号, 发证日期, 有效期, certificate no., issued, valid for) becomes `certificate.<kind>` with the
number, issue date, validity in years and the expiry derived from them (app/core/certificates.py
reads the values, OCR'd forms included). The period (`as_of`) is the issue year, so a renewed
certificate is history, not a conflict. A bare mention ("已通过高新技术企业认定") stays a
certification only: nothing here is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from app.core.certificates import Certificate, read_certificate
from app.core.facts import fact_rule
from app.core.types import Fact

WINDOW = 220  # characters after the certification's name where its certificate's details are read
KINDS: dict[str, tuple[str, str]] = {  # field suffix → (label, how documents name it)
    "hnte": ("高新技术企业", r"高新技术企业|高新技術企業|high-tech enterprise|HNTE"),
    "tech_sme": ("科技型中小企业", r"科技型中小企[业業]|tech(?:nology)?-based SME"),
    "little_giant": ("专精特新小巨人", r"[专專]精特新[“\"]?小巨人|little giant"),
    "zjtx_sme": ("专精特新中小企业", r"[专專]精特新(?![“\"]?小巨人)(?:中小)?企[业業]|speciali[sz]ed and innovative SME"),
    "iso9001": ("ISO 9001", r"ISO\s?9001"), "iso27001": ("ISO 27001", r"ISO(?:/IEC)?\s?27001"),
    "iso14001": ("ISO 14001", r"ISO\s?14001"),
}
CERTIFICATE_FIELDS = tuple(f"certificate.{kind}" for kind in KINDS)
_DETAILS = re.compile(r"证书编号|證書編號|登记编号|登記編號|编号|發證|发证|有效期|certificate (?:no|number)|issued|valid (?:for|until|through)",
                      re.IGNORECASE)


def certificates_not_held(question: str, fields: dict[str, object]) -> list[str]:
    """The certifications the question names (by the words documents name them in) that the profile's
    `fields` (name → value) hold neither as a certificate nor among its certifications: a question about
    one of them ("它的科技型中小企业入库登记编号") is not answered by another's (the HNTE certificate's number)."""
    listed = fields.get("certifications") or ()
    held = " ".join(map(str, listed)) if isinstance(listed, (list, tuple)) else str(listed)
    return [label for kind, (label, words) in KINDS.items()
            if re.search(words, question, re.IGNORECASE) and f"certificate.{kind}" not in fields
            and not re.search(words, held, re.IGNORECASE)]


# the parts of a certificate's record a question asks, by the record's keys
_PARTS_ASKED = {
    "number": re.compile(r"编号|編號|证号|證號|号码|號碼|\b(?:number|no\.)", re.IGNORECASE),
    "issued": re.compile(r"发证|發證|发的证|發的證|颁发|頒發|\bissued?(?: on| date)?\b(?! by)", re.IGNORECASE),
    "issuer": re.compile(r"批准|批的|哪个部门|哪個部門|哪家单位|哪家單位|机关|機關|\bauthority\b|\bissued by\b|\bissuing\b",
                         re.IGNORECASE),
    "expires": re.compile(r"有效期|\bvalid(?:ity)?\b|到期|\bexpir", re.IGNORECASE),
}
_CERTIFICATE = re.compile(r"证书|證書|\bcert(?:ificate)?s?\b", re.IGNORECASE)


def certificate_record_asked(question: str, fields: Mapping[str, object], also: Iterable[str] = ()) -> str | None:
    """The certificate record (`certificate.<kind>`) a question naming a certificate asks a part of: its number,
    issue date, issuer, validity or expiry ("高企证书编号多少？", "那张证书是哪个部门批的？", "when does its HNTE
    certificate expire?"), of a certification the question names (`also`: the question's glossary expansions, so "高企" is
    the high-tech enterprise), or of the one certificate on record when it names only "the certificate".
    None when it asks no such part or the profile holds no such record: an exact identifier, like a credit
    code, is read by rule, not left to the intent model."""
    parts = [key for key, words in _PARTS_ASKED.items() if words.search(question)]
    if not (parts and _CERTIFICATE.search(question)):
        return None  # the certificate itself named: "高企认定有效期几年" asks the rule, not the client's record
    held = [f for f in fields if f in CERTIFICATE_FIELDS]
    text = " ".join([question, *also])
    named = [f"certificate.{kind}" for kind, (_, words) in KINDS.items() if re.search(words, text, re.IGNORECASE)]
    field = next((f for f in named if f in held), None) if named else held[0] if len(held) == 1 else None
    # every part asked must be on the record: one it lacks (no issuer read) is left to the model and the attribute check
    return field if field is not None and all(_record_part(fields[field], key) for key in parts) else None


def certificate_records_not_held(question: str, fields: Mapping[str, object], also: Iterable[str] = ()) -> list[str]:
    """The certifications a question asks a certificate's part of (its number, issue date, issuer, expiry) that the
    profile holds no certificate record of ("the ISO 27001 certificate number" of a firm whose documents only say it
    is ISO 27001 certified): their labels. A record held, whole or in part, is not listed (a part it lacks is left to
    the attribute check)."""
    if not (any(words.search(question) for words in _PARTS_ASKED.values()) and _CERTIFICATE.search(question)):
        return []
    text = " ".join([question, *also])
    return [label for kind, (label, words) in KINDS.items()
            if re.search(words, text, re.IGNORECASE) and f"certificate.{kind}" not in fields]


def _record_part(body: object, key: str) -> bool:
    """Whether a certificate field (its profile JSON, or the record itself) holds the part `key`."""
    record = body.get("value", body) if isinstance(body, dict) else None
    return isinstance(record, dict) and record.get(key) not in (None, "", [])


def certification_named(field: str, text: str) -> bool:
    """Whether the text names the certification of a `certificate.<kind>` field ("高新技术企业认定")."""
    kind = field.removeprefix("certificate.")
    return kind in KINDS and re.search(KINDS[kind][1], text, re.IGNORECASE) is not None


@fact_rule
def certificates(text: str) -> Iterator[Fact]:
    for kind, (label, words) in KINDS.items():
        best: tuple[int, Fact] | None = None
        for m in re.finditer(words, text, re.IGNORECASE):
            window = text[m.start(): m.end() + WINDOW]
            if not _DETAILS.search(window):
                continue
            lead = re.split(r"[。！？!?\n]", text[max(0, m.start() - 60): m.start()])[-1]  # its sentence before it
            cert = read_certificate(label, window, lead)
            found = sum(x is not None for x in (cert.number, cert.issued, cert.valid_years))
            if found and (best is None or found > best[0]):
                best = (found, _fact(kind, cert, window, m.start()))
        if best is not None:
            yield best[1]


def certificate_json(cert: Certificate) -> dict[str, object]:
    renewal = cert.renewal_opens()
    # dates as they are known: a plan that dates its recognition to the month gives months ("2022-12"), the expiry
    # the month it falls in and the renewal window the month it opens in
    return {"name": cert.name, "number": cert.number, "issued": cert.when(cert.issued),
            "valid_years": cert.valid_years, "expires": cert.when(cert.expiry_month()),
            "renewal_opens": cert.when(renewal), **({"issuer": cert.issuer} if cert.issuer else {})}


def _fact(kind: str, cert: Certificate, window: str, start: int) -> Fact:
    quote = window.split("\n\n", 1)[0][:200]
    return Fact(field=f"certificate.{kind}", value=certificate_json(cert), quote=quote, span=(start, start + len(quote)),
                confidence=0.85, as_of=str(cert.issued.year) if cert.issued else None, source_type="certificate")

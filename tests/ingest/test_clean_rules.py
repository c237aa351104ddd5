"""Every cleaning rule hits its examples in both scripts (and in full width); a typo in a rules file
is an error naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import InputError
from app.core.textnorm import _s2t
from ingest.clean import RULES_FILE, SPAM_FILE, load_rules, match_form, rule_pattern
from ingest.rules_schema import BoilerplateSpec, SpamSpec, read_rules_file

SPEC = read_rules_file(RULES_FILE, BoilerplateSpec)
CASES = [(reason, i, rule.re, eg) for reason, rules in SPEC.rules.items() for i, rule in enumerate(rules) for eg in rule.eg]


def _forms(text: str) -> list[str]:
    full = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    return [text, str(_s2t().convert(text)), full]


@pytest.mark.parametrize(("reason", "i", "pattern", "example"), CASES, ids=[f"{c[0]}-{c[1]}-{c[3][:12]}" for c in CASES])
def test_rule_hits_both_scripts(reason: str, i: int, pattern: str, example: str) -> None:
    for form in _forms(example):
        assert rule_pattern(pattern).search(match_form(form)), (reason, form)


@pytest.mark.parametrize(("kind", "term"), [(k, t) for k, ts in read_rules_file(SPAM_FILE, SpamSpec).kinds.items() for t in ts])
def test_spam_term_hits_both_scripts(kind: str, term: str) -> None:
    spam = load_rules().spam_terms
    for form in _forms(f"{term} 点击进入"):
        assert spam.search(match_form(form)), (kind, form)


def test_typo_in_rules_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "boilerplate.yaml"
    bad.write_text("version: 2\nmax_chars: 80\nrules:\n  navigation:\n    - re: '^home$'\n      eg: [home]\n"
                   "      exmaples: [x]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"boilerplate.yaml:7: rules.navigation.0.exmaples: unknown key"):
        read_rules_file(bad, BoilerplateSpec)


def test_bad_pattern_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "boilerplate.yaml"
    bad.write_text("version: 2\nmax_chars: 80\nrules:\n  navigation:\n    - re: '(home'\n      eg: [home]\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"boilerplate.yaml:5: .*not a regular expression"):
        read_rules_file(bad, BoilerplateSpec)

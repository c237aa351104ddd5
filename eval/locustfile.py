"""Locust users for eval/load_test.py: a relationship manager's mix of search, chat, match and
profile against a running server. Each user signs in with its own API key (--keys-file)."""

from __future__ import annotations

import itertools
import random

from locust import HttpUser, between, events, task

QUERIES = ["高新技术企业 认定条件", "IP pledge loan", "专精特新 小巨人 奖励", "研发费用 加计扣除", "科技型中小企业 评价",
           "first-time borrower credit", "深圳 创业 补贴", "equity investment seed round", "知识产权质押贷款 额度",
           "R&D expense super deduction", "小微企业 贷款 利率", "angel investment for hardware startups"]
PLACES = ["深圳", "上海", "杭州", "苏州", "北京", "Shenzhen", "Shanghai", "Guangzhou"]
FIRMS = ["{place}某科技有限公司成立于{year}年，员工{staff}人，研发人员{rd}人，{last}年营业收入{rev}万元，拥有发明专利{pat}项，已获高新技术企业证书。",
         ("Acme Robotics {n} Inc. was founded in {year} in {place}, has {staff} employees, revenue of RMB {rev}0 thousand "
         "and {pat} invention patents."),
         "公司成立于{year}年，注册于{place}，员工{staff}人，年收入{rev}万元，尚未获得融资。"]


def query() -> str:
    """A question of the pool with a varied place or year: no two requests share a text, so no
    cache answers for the model."""
    return f"{random.choice(QUERIES)} {random.choice(PLACES)} {random.randint(2015, 2026)}"


def firm() -> str:
    return random.choice(FIRMS).format(place=random.choice(PLACES), year=random.randint(2008, 2024), n=random.randint(1, 9999),
                                       staff=random.randint(5, 900), rd=random.randint(1, 200), last=2023,
                                       rev=random.randint(100, 90000), pat=random.randint(0, 40))


_KEYS: list[str] = []
_NEXT = itertools.count()


@events.init_command_line_parser.add_listener
def _args(parser) -> None:
    parser.add_argument("--keys-file", default="", help="one API key per line; users take them in turn")


@events.test_start.add_listener
def _load_keys(environment, **_: object) -> None:
    with open(environment.parsed_options.keys_file, encoding="utf-8") as fh:
        _KEYS[:] = [line.strip() for line in fh if line.strip()]


class RelationshipManager(HttpUser):
    wait_time = between(1, 3)  # think time: the offered load stays below capacity, as with real users

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {_KEYS[next(_NEXT) % len(_KEYS)]}"

    @task(4)
    def search(self) -> None:
        self.client.post("/v1/search", json={"query": query(), "k": 10}, name="search")

    @task(2)
    def chat(self) -> None:
        self.client.post("/v1/chat", json={"messages": [{"role": "user", "content": query() + "?"}]},
                         name="chat")

    @task(2)
    def match(self) -> None:
        self.client.post("/v1/match", json={"text": firm(), "k": 10}, name="match")

    @task(1)
    def profile(self) -> None:
        self.client.post("/v1/profile", json={"text": firm()}, name="profile")

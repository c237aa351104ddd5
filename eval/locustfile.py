"""Locust users for eval/load_test.py: a relationship manager's mix of search, chat, match and
profile against a running server. Each user signs in with its own API key (--keys-file)."""

from __future__ import annotations

import itertools
import random

from locust import HttpUser, between, events, task

QUERIES = ["高新技术企业 认定条件", "IP pledge loan", "专精特新 小巨人 奖励", "研发费用 加计扣除", "科技型中小企业 评价",
           "first-time borrower credit", "深圳 创业 补贴", "equity investment seed round"]
FIRMS = ["深圳某科技有限公司成立于2019年，员工85人，研发人员30人，2023年营业收入1.2亿元，拥有发明专利6项，已获高新技术企业证书。",
         "Acme Robotics Inc. was founded in 2020 in Shenzhen, has 40 employees, revenue of RMB 30 million and 4 invention patents.",
         "公司成立于2021年，注册于广州市，员工20人，年收入800万元，尚未获得融资。"]
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
        self.client.post("/v1/search", json={"query": random.choice(QUERIES), "k": 10}, name="search")

    @task(2)
    def chat(self) -> None:
        self.client.post("/v1/chat", json={"messages": [{"role": "user", "content": random.choice(QUERIES) + "?"}]},
                         name="chat")

    @task(2)
    def match(self) -> None:
        self.client.post("/v1/match", json={"text": random.choice(FIRMS), "k": 10}, name="match")

    @task(1)
    def profile(self) -> None:
        self.client.post("/v1/profile", json={"text": random.choice(FIRMS)}, name="profile")

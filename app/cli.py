"""The `sme` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from app.adapters.offline import set_offline_env
from app.core.errors import SmeError
from app.core.pii import install_log_masking
from app.core.retrieve import Filters, allowed_tenants
from app.core.routing import route_json
from app.core.types import DOC_KINDS, PUBLIC_TENANT, Principal
from app.settings import Settings, get_settings

logger = logging.getLogger("sme")
EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from app.wiring import Deps
    from ingest.load import discover
    from ingest.pipeline import Ingestor, Target

    if args.explain:  # a dry run: what cleaning removes and why; nothing is indexed
        from ingest.explain import explain_paths

        print("\n".join(explain_paths([Path(p) for p in args.paths], settings)))
        return EXIT_OK
    if not args.kind:
        print("sme ingest: error: the following arguments are required: --kind", file=sys.stderr)
        return EXIT_USAGE
    try:
        target = Target(kind=args.kind, tenant=args.tenant, enterprise_id=args.enterprise_id)
    except ValueError as exc:
        print(f"sme ingest: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    paths = [Path(p) for p in args.paths]
    deps = Deps.build(settings)
    total = sum(1 for _ in discover(paths))
    with tqdm(total=total, unit="file", desc="ingest", disable=args.quiet or None, file=sys.stderr) as bar:
        report = Ingestor(settings, deps.kb, deps.embedder).run(paths, target, progress=lambda o: bar.update(1))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.report) if args.report else settings.reports_dir / f"ingest-{stamp}.json"
    report.write(out)
    _print_summary(report, out)
    counts = report.counts
    if target.enterprise_id and any(counts.get(s) for s in ("indexed", "unchanged", "duplicate")):
        from app.enterprises import Enterprises

        profile = Enterprises(deps).refresh(target.tenant, target.enterprise_id)
        print(f"profile of {target.enterprise_id}: {len(profile['fields'])} fields "
              f"({sum(1 for f in profile['fields'].values() if f.get('conflict'))} with conflicting sources)")
    return EXIT_PARTIAL if report.failed else EXIT_OK


def _print_summary(report, out: Path) -> None:
    data = report.to_dict()
    print(f"{'status':<12}{'files':>7}")
    for status in ("indexed", "duplicate", "unchanged", "rejected", "failed"):
        print(f"{status:<12}{data['counts'].get(status, 0):>7}")
    print(f"chunks {data['chunks']}, {data['seconds']} s, report: {out}")
    for o in report.outcomes:
        if o.status in ("rejected", "failed", "duplicate") or o.flagged:
            print(f"  {o.status:<10} {o.source}: {o.reason}")


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from app.wiring import Deps

    deps = Deps.build(settings)
    principal = Principal(tenant=args.tenant, role="rm") if args.tenant else Principal(PUBLIC_TENANT, "admin")
    filters = Filters(kind=args.kind, company=args.company, period=args.period, doc_type=args.doc_type)
    hits, route = deps.retriever().search_routed(args.query, principal, k=args.k, filters=filters)
    if args.json:
        print(json.dumps({"hits": [asdict(h) for h in hits], "routing": route_json(route)}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"routing: {route.applied} ({route.reason})")
    for rank, h in enumerate(hits, 1):
        where = f"p.{h.page}" if h.page else ""
        about = " ".join(x for x in (h.company, h.doc_type, h.period) if x)
        print(f"{rank:>2}. {h.score:.3f}  {h.title} {where}  [{h.section}]" + (f"  ({about})" if about else ""))
        print(f"    {h.snippet}")
    if not hits:
        print("no results")
    return EXIT_OK


def _viewer(tenant: str | None) -> Principal:
    """Who `sme programs` reads as, like `sme search`: that tenant (public and its own), else the operator (all)."""
    return Principal(tenant=tenant, role="rm") if tenant else Principal(PUBLIC_TENANT, "admin")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.api.app import create_app

    # proxy_headers off: SME_TRUSTED_PROXIES alone decides whose X-Forwarded-For counts (uvicorn trusts 127.0.0.1)
    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port,
                proxy_headers=False)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from app.demo import load_demo

    report = load_demo(settings, reset=args.reset, enterprises=not args.no_enterprises)
    print(json.dumps(report, ensure_ascii=False))
    return EXIT_OK


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    from app.adapters.backends import key_store

    store = key_store(settings)  # PostgreSQL when SME_DATABASE_URL is set
    if args.action == "create":
        key, record = store.create(args.tenant, args.role)
        print(f"id {record.id}  tenant {record.tenant}  role {record.role}")
        print(f"key {key}")
        print("store it now: it is shown only once", file=sys.stderr)
    elif args.action == "list":
        for r in store.records().values():
            print(f"{r.id}  {r.tenant:<20} {r.role:<8} {r.created_at}  {'revoked' if r.revoked else 'active'}")
    else:
        if not args.id:
            print("sme keys revoke: error: give the key id", file=sys.stderr)
            return EXIT_USAGE
        store.revoke(args.id)
        print(f"revoked {args.id}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from importlib import import_module

    if args.task == "all":  # every dev set, product vs LangChain baseline, benchmarks → one report
        extra = [Path(p) for p in [*args.datasets, *([args.dataset] if args.dataset else [])]]
        return int(import_module("eval.all_run").cli(extra, Path(args.out) if args.out else None))
    if not args.dataset and args.task != "criteria":
        print("sme eval: error: --dataset is required", file=sys.stderr)
        return EXIT_USAGE
    dataset = Path(args.dataset) if args.dataset else Path(import_module("eval.criteria").DATA)  # the shipped clause sets
    if not dataset.is_dir():
        print(f"sme eval: error: no dataset folder at {dataset}", file=sys.stderr)
        return EXIT_USAGE
    if args.indexed and args.task != "retrieval":
        print("sme eval: error: --indexed applies to retrieval only", file=sys.stderr)
        return EXIT_USAGE
    given = {"data_dir": Path(args.indexed)} if args.indexed else {}
    result = import_module(f"eval.{args.task}").run(dataset, settings, **given)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def cmd_taxonomy(args: argparse.Namespace, settings: Settings) -> int:
    from app.adapters.label_trainer import train_label_model
    from app.core.taxonomy import taxonomy_path
    from app.wiring import make_embedder

    result = train_label_model(taxonomy_path(args.taxonomy), Path(args.labelled), make_embedder(settings))
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from app.adapters.kb import KnowledgeBase
    from app.wiring import make_embedder

    kb = KnowledgeBase(settings)
    with kb.writer_lock():
        count = kb.rebuild(make_embedder(settings))
    print(f"rebuilt the {settings.index_type} index over {count} chunks")
    return EXIT_OK


def cmd_programs(args: argparse.Namespace, settings: Settings) -> int:
    from app.adapters.backends import program_store
    from app.adapters.programs import ProgramQuery
    from app.core.program_json import program_to_json
    from ingest.catalog import load_catalog

    if args.action == "validate":
        if not args.target:
            print("sme programs validate: error: give a catalog file", file=sys.stderr)
            return EXIT_USAGE
        programs = load_catalog(Path(args.target))
        criteria = sum(len(p.criteria) for p in programs)
        print(f"{args.target}: ok, {len(programs)} programs, {criteria} criteria")
        return EXIT_OK
    store = program_store(settings)
    if args.action == "load":
        programs = load_catalog(Path(args.target or ""))
        print(f"loaded {store.upsert(programs)} programs from {args.target}")
        return EXIT_OK
    tenants = allowed_tenants(_viewer(args.tenant))
    if args.action == "show":
        print(json.dumps(program_to_json(store.get(args.target or "", tenants)), ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = store.list(ProgramQuery(kind=args.kind, jurisdiction=args.jurisdiction, text=args.query, tenants=tenants,
                                   limit=args.limit))
    if args.json:
        print(json.dumps([program_to_json(p) for p in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    for p in rows:
        print(f"{p.id:<40} {p.kind:<7} {p.tenant:<12} {'>'.join(p.jurisdiction):<24} {len(p.criteria):>2} criteria  {p.title}")
    return EXIT_OK


def _names_a_file(text: str) -> bool:
    """The argument is a readable file's path; a clause is not (a long one makes the file system
    answer "File name too long")."""
    if "\n" in text:
        return False
    try:
        return Path(text).is_file()
    except OSError:
        return False


def cmd_criteria(args: argparse.Namespace, settings: Settings) -> int:
    from app.core.criteria import extract, to_json

    if _names_a_file(args.text):
        path = Path(args.text)
        from app.adapters.parsers import parse
        from app.core.types import RawFile
        from ingest.clean import clean

        raw = RawFile(str(path), path.read_bytes())
        text = "\n".join(e.text for e in clean(parse(raw, settings).elements).elements)
    else:
        text = args.text
    from app.core.criteria_subjects import SubjectReader
    from app.wiring import make_embedder

    criteria = extract(text, subjects=SubjectReader(make_embedder(settings)))
    if args.json:
        print(json.dumps([to_json(c) for c in criteria], ensure_ascii=False, indent=2))
        return EXIT_OK
    for c in criteria:
        value = c.value if c.op != "any_of" else " | ".join(f"{o.field} {o.op} {o.value}" for o in c.options)
        tier = " when " + " and ".join(f"{w.field} {w.op} {w.value:g}" for w in c.when) if c.when else ""
        print(f"{c.field} {c.op} {value} {c.unit}{tier}{'' if c.hard else ' (soft)'}\n    « {c.source_text} »")
    return EXIT_OK


def cmd_profile(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from app.core.profiler import INDUSTRY_DEFAULT
    from app.core.taxonomy import load_taxonomy
    from app.jobs.profile_batch import ProfileJob, run_batch

    out = Path(args.out)
    if out.suffix.lower() not in (".jsonl", ".csv", ".parquet"):
        print("sme profile: error: --out must end in .jsonl, .csv or .parquet", file=sys.stderr)
        return EXIT_USAGE
    inputs = [Path(p) for p in args.inputs]
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        print(f"sme profile: error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    taxonomy = Path(args.taxonomy) if args.taxonomy else INDUSTRY_DEFAULT
    load_taxonomy(taxonomy)  # a broken taxonomy is a usage error before any work starts
    job = ProfileJob(settings=settings, taxonomy=str(taxonomy))
    total = sum(_count_records(p) for p in inputs)
    with tqdm(total=total, unit="enterprise", desc="profile", file=sys.stderr) as bar:
        report = run_batch(inputs, out, job, workers=args.workers, engine=args.engine, address=args.address,
                           progress=bar.update)
    print(json.dumps({"written": report.written, "already_done": report.skipped_done, "bad": report.bad,
                      "failed_files": report.failed_files, "out": str(out)}, ensure_ascii=False))
    return EXIT_PARTIAL if report.bad or report.failed_files else EXIT_OK


def _count_records(path: Path) -> int:
    if path.is_dir():
        subdirs = [p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")]
        return len(subdirs) or 1
    with path.open(encoding="utf-8", errors="replace") as fh:
        return sum(1 for line in fh if line.strip())


def cmd_match(args: argparse.Namespace, settings: Settings) -> int:
    from app.core.match_json import result_to_json
    from app.enterprises import Enterprises
    from app.matching import Matching
    from app.wiring import Deps

    profile = None
    if args.profile:
        try:
            profile = json.loads(Path(args.profile).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"sme match: error: cannot read profile {args.profile}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    overrides = {}
    for item in args.set or []:
        name, _, value = item.partition("=")
        if not name or not value:
            print(f"sme match: error: --set wants FIELD=VALUE, got {item!r}", file=sys.stderr)
            return EXIT_USAGE
        overrides[name] = _literal(value)
    deps = Deps.build(settings)
    matching = Matching(deps, Enterprises(deps))
    result = matching.match(Principal(args.tenant, "rm"), enterprise_id=args.enterprise_id, profile=profile, text=args.text,
                            kinds=[args.kind] if args.kind else None, k=args.k, overrides=overrides or None)
    if args.json:
        print(json.dumps(result_to_json(result, include_excluded=True), ensure_ascii=False, indent=1, default=str))
        return EXIT_OK
    for n, m in enumerate(result.matches, 1):
        print(f"{n:>2}. [{m.kind}] {m.program.title}  score {m.score:.2f}  {m.status}  ({m.program.id})")
        print("    " + m.explanation.replace("\n", "\n    "))
        for q in m.questions:
            print(f"    ask: {q}")
    if result.excluded:
        print(f"excluded: {len(result.excluded)} (expired, not yet open or outside the firm's area; --json lists them)")
    return EXIT_OK


def _literal(value: str) -> object:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sme", description="SME assistant: cited knowledge base for tech SMEs")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="ingest files or folders into the knowledge base")
    ing.add_argument("paths", nargs="+")
    ing.add_argument("--kind", choices=DOC_KINDS, help="required unless --explain")
    ing.add_argument("--tenant", default=PUBLIC_TENANT)
    ing.add_argument("--enterprise-id")
    ing.add_argument("--report", help="where to write the JSON report (default: SME_DATA_DIR/reports/)")
    ing.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ing.add_argument("--explain", action="store_true", help="print what cleaning removes from each file and why; index nothing")
    ing.set_defaults(func=cmd_ingest)

    se = sub.add_parser("search", help="search the knowledge base")
    se.add_argument("query")
    se.add_argument("--kind", choices=DOC_KINDS)
    se.add_argument("-k", type=int, default=10)
    se.add_argument("--tenant", help="search as this tenant (default: operator, sees all)")
    se.add_argument("--company", help="only documents of this company (any of its names, or its ticker)")
    se.add_argument("--period", help="only documents covering this period: FY2022, 2023Q2, 2022")
    se.add_argument("--doc-type", help="only this document type: annual_report (10-K), quarterly_report, earnings_release, ...")
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=cmd_search)

    sv = sub.add_parser("serve", help="run the HTTP API and chat UI")
    sv.add_argument("--host")
    sv.add_argument("--port", type=int)
    sv.set_defaults(func=cmd_serve)

    ke = sub.add_parser("keys", help="create, list and revoke API keys")
    ke.add_argument("action", choices=("create", "list", "revoke"))
    ke.add_argument("id", nargs="?", help="key id (revoke)")
    ke.add_argument("--tenant", default=PUBLIC_TENANT)
    ke.add_argument("--role", default="rm", choices=("rm", "admin", "service"))
    ke.set_defaults(func=cmd_keys)

    ev = sub.add_parser("eval", help="evaluate on a labelled dataset (metrics JSON on the last line)")
    ev.add_argument("task", choices=("retrieval", "profile", "match", "chat", "criteria", "all"))
    ev.add_argument("datasets", nargs="*", help="all: extra dataset folders")
    ev.add_argument("--dataset")
    ev.add_argument("--out", help="metrics JSON file (all: the report folder)")
    ev.add_argument("--indexed", help="retrieval: a data dir that already holds the dataset's corpus (not re-ingested)")
    ev.set_defaults(func=cmd_eval)

    ix = sub.add_parser("index", help="index maintenance")
    ix.add_argument("action", choices=("rebuild",))
    ix.set_defaults(func=cmd_index)

    tx = sub.add_parser("taxonomy", help="train TAXONOMY LABELLED.jsonl: a learned label model beside the taxonomy")
    tx.add_argument("action", choices=("train",))
    tx.add_argument("taxonomy", help="a taxonomy file, or a shipped one by name (e.g. startup_industry)")
    tx.add_argument("labelled", help='JSONL, one {"text": ..., "label": ...} per line')
    tx.set_defaults(func=cmd_taxonomy)

    pr = sub.add_parser("programs", help="the program catalog: list, show, validate FILE, load FILE")
    pr.add_argument("action", choices=("list", "show", "validate", "load"))
    pr.add_argument("target", nargs="?", help="program id (show) or catalog file (validate, load)")
    pr.add_argument("--kind", choices=("policy", "credit", "equity"))
    pr.add_argument("--jurisdiction")
    pr.add_argument("--query")
    pr.add_argument("--limit", type=int, default=100)
    pr.add_argument("--tenant", help="list or show as this tenant (default: operator, sees all)")
    pr.add_argument("--json", action="store_true")
    pr.set_defaults(func=cmd_programs)

    cr = sub.add_parser("criteria", help="criteria stated by a clause or a policy document")
    cr.add_argument("text", help="a clause, or a file to read")
    cr.add_argument("--json", action="store_true")
    cr.set_defaults(func=cmd_criteria)

    pf = sub.add_parser("profile", help="profile enterprises (enterprises.jsonl or per-enterprise folders); resumable")
    pf.add_argument("inputs", nargs="+", help="enterprises.jsonl files, or folders of per-enterprise folders")
    pf.add_argument("--out", required=True, help="FILE.jsonl, FILE.csv or FILE.parquet")
    pf.add_argument("--taxonomy", help="industry taxonomy (YAML, or JSON with field/labels/descriptions)")
    pf.add_argument("--workers", type=int, default=1)
    pf.add_argument("--engine", choices=("local", "ray"), default="local")
    pf.add_argument("--address", help="Ray cluster address (with --engine ray); default: a local Ray")
    pf.set_defaults(func=cmd_profile)

    ma = sub.add_parser("match", help="programs an enterprise can get, ranked and explained")
    who = ma.add_mutually_exclusive_group(required=True)
    who.add_argument("--enterprise-id")
    who.add_argument("--text")
    who.add_argument("--profile", help="a profile JSON file (as `sme profile` or /v1/profile writes it)")
    ma.add_argument("--kind", choices=("policy", "credit", "equity"))
    ma.add_argument("-k", type=int, default=10)
    ma.add_argument("--tenant", default=PUBLIC_TENANT,
                    help="match as this tenant: its enterprise profiles and programs, plus public programs")
    ma.add_argument("--set", action="append", metavar="FIELD=VALUE", help="what-if: override a fact (repeatable)")
    ma.add_argument("--json", action="store_true")
    ma.set_defaults(func=cmd_match)

    de = sub.add_parser("demo", help="load the shipped demo knowledge base")
    de.add_argument("--reset", action="store_true")
    de.add_argument("--no-enterprises", action="store_true",
                    help="leave out the sample firms (their scan is OCR'd: the slow part)")
    de.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    set_offline_env()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_masking()  # phone numbers, ID-card numbers and e-mails never reach a log line
    func: Callable[[argparse.Namespace, Settings], int] = args.func
    try:
        return func(args, get_settings())
    except SmeError as exc:
        print(f"sme {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.code in ("bad_request", "invalid_value", "config_error") else EXIT_PARTIAL


if __name__ == "__main__":
    sys.exit(main())

"""The routing stage's view of the knowledge base: every indexed document's metadata, and the chunk
rowids and stored vectors of the documents a search is routed to."""

from __future__ import annotations

import json

from app.adapters.kb import KnowledgeBase
from app.core.routed_search import Router
from app.core.routing import DocInfo, EntityIndex


def document_infos(kb: KnowledgeBase) -> list[DocInfo]:
    out = []
    for doc_id, tenant, raw in kb.store.document_metas():
        try:
            meta = json.loads(raw)
        except ValueError:
            continue
        if isinstance(meta, dict) and (meta.get("company") or meta.get("ein") or meta.get("uscc")):
            out.append(DocInfo.of(str(doc_id), str(tenant), {k: str(v) for k, v in meta.items()}))
    return out


def make_router(kb: KnowledgeBase) -> Router:
    index = kb.index()
    vectors_of = getattr(index, "vectors", None)
    return Router(EntityIndex.build(document_infos(kb)), kb.store.chunk_rowids, vectors_of)

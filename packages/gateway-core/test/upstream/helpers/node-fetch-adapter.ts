import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Serves a web-standard `fetch` handler (the v2 SDK's `createMcpHandler`) on `node:http`, with the
 * request's signal aborted when the client goes away (so a closed 2026-07-28 stream cancels the
 * handler, as the spec intends).
 */
export function toNodeHandler(fetch: (request: Request) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string') headers.set(k, v);
      else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: hasBody ? Buffer.concat(chunks) : undefined,
      signal: ac.signal,
    });
    let response: Response;
    try {
      response = await fetch(request);
    } catch (err) {
      res.writeHead(500).end(String(err));
      return;
    }
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    res.writeHead(response.status, out);
    if (response.body === null) return void res.end();
    res.flushHeaders();
    const reader = response.body.getReader();
    ac.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
    } catch {
      // client went away
    }
    res.end();
  };
}

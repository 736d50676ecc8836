import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * @typedef {object} HeaderProxy
 * @property {string} url the endpoint to test instead of the target: same path and query, this proxy's origin
 * @property {() => Promise<void>} close stops listening and ends every open exchange
 */

/**
 * Starts a transparent HTTP proxy on 127.0.0.1 (port 0) that forwards every request to `target`'s origin
 * with `headers` added — how the suite, which has no option for request headers, reaches an endpoint that
 * needs credentials (`Authorization: Bearer …`). Everything else travels untouched, both ways and
 * streamed (SSE included): method, path, the client's own headers (`Host` and `Origin` too, so the
 * endpoint's DNS-rebinding checks see what the suite sent), status and response headers. A client that
 * goes away ends its upstream exchange.
 *
 * @param {string} target the endpoint under test
 * @param {Record<string, string>} headers added to (and replacing same-named) request headers
 * @returns {Promise<HeaderProxy>}
 * @throws {TypeError} when a header name or value cannot be sent
 */
export async function startHeaderProxy(target, headers) {
  const upstream = new URL(target);
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const extra = Object.entries(headers).map(([name, value]) => {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new TypeError(`invalid header name "${name}"`);
    if (/[\r\n\0]/.test(value)) throw new TypeError(`header "${name}" has a value with CR, LF or NUL`);
    return /** @type {const} */ ([name.toLowerCase(), value]);
  });
  /** @type {Set<import('node:http').ClientRequest>} */
  const open = new Set();
  const server = createServer((req, res) => {
    /** @type {Record<string, string | string[]>} */
    const forwarded = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) forwarded[name] = value;
    for (const [name, value] of extra) forwarded[name] = value;
    const out = send(
      {
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: forwarded,
        // The client's Host header is forwarded as sent; TLS still verifies the target's name.
        servername: upstream.hostname,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        // Streamed responses (SSE) must reach the suite as they come.
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    open.add(out);
    out.once('close', () => open.delete(out));
    out.once('error', (error) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end(`header proxy: ${error.message}`);
    });
    res.once('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = new URL(target);
  url.protocol = 'http:';
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    close: () =>
      new Promise((resolve) => {
        for (const out of open) out.destroy();
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

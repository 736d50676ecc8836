// Minimal keep-alive HTTP helpers for the load generator (node:http: no fetch overhead in the
// measurement loop).
import http from 'node:http';

/** Sends one request and resolves with status, headers and the whole body as a string. */
export function request(agent, url, { method = 'POST', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** Reads the JSON-RPC messages of a JSON or SSE response body. */
export function messagesOf(response) {
  const type = response.headers['content-type'] ?? '';
  if (type.includes('text/event-stream')) {
    return response.body
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => JSON.parse(line.slice(5).trim()));
  }
  return response.body ? [JSON.parse(response.body)] : [];
}

/** Opens a GET event stream and calls onEvent({event, data}) per event; resolves with the response. */
export function openEventStream(agent, url, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'GET', headers: { accept: 'text/event-stream' }, agent },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            let event = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length > 0) onEvent({ event, data: data.join('\n') });
          }
        });
        resolve({ res, req });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

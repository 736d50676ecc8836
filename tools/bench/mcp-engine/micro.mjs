// Validation cost on the hot path: the SDK's zod schema for tools/call params vs the engine's typeof checks.
// Resolved through gateway-core, which depends on the SDK (the bench package itself has no dependencies).
const { CallToolRequestParamsSchema } = await import(
  '../../../packages/gateway-core/node_modules/@modelcontextprotocol/core/dist/index.mjs'
);

const params = { name: 'echo', arguments: { payload: 'x'.repeat(60) }, _meta: { progressToken: 1 } };
function manual(p) {
  if (typeof p.name !== 'string') throw new Error('name');
  const a = p.arguments;
  if (a !== undefined && (typeof a !== 'object' || a === null || Array.isArray(a)))
    throw new Error('arguments');
  return p;
}
function time(fn, n) {
  for (let i = 0; i < 10_000; i++) fn(params);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(params);
  return Number(process.hrtime.bigint() - t0) / n;
}
const zodNs = time((p) => CallToolRequestParamsSchema.parse(p), 200_000);
const manualNs = time(manual, 2_000_000);
console.log(JSON.stringify({ zodNs, manualNs }));

// The throw-away PKI lives in the shared test helpers (the gateway's mTLS tests use it too).
export { createTestPki, type TestPki } from '@contextforge-internal/test-support';

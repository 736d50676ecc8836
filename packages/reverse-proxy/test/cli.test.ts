import { describeBuiltCli } from '@contextforge-internal/test-support';

describeBuiltCli('mcp-reverse-proxy', new URL('..', import.meta.url));

import { describeBuiltCli } from '@contextforge-internal/test-support';

describeBuiltCli('mcp-wrapper', new URL('..', import.meta.url));

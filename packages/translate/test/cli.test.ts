import { describeBuiltCli } from '@contextforge-internal/test-support';

describeBuiltCli('mcp-translate', new URL('..', import.meta.url));

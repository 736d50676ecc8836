import { describeBuiltCli } from '@contextforge-internal/test-support';

describeBuiltCli('contextforge', new URL('..', import.meta.url));

import { describeBuiltCli } from '@contextforge-internal/test-support';

describeBuiltCli('mcpplugins', new URL('..', import.meta.url));

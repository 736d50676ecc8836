import { describeWithServices } from '@contextforge-internal/test-support';
import { describe } from 'vitest';
import { registrySuite } from '../../test/registry-suite.js';

describe('registries on SQLite', () => registrySuite('sqlite'));
await describeWithServices(['postgres'], 'registries on PostgreSQL', () => registrySuite('postgres'));
await describeWithServices(['mariadb'], 'registries on MariaDB', () => registrySuite('mysql'));

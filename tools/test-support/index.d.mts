/** Names of the real services the multi-backend suites use. */
export type ServiceName = 'postgres' | 'mariadb' | 'redis';
/** Connection URLs (env overridable: POSTGRES_URL, MARIADB_URL, REDIS_URL). */
export declare const serviceUrls: Record<ServiceName, string>;
/** True when a TCP connection to the URL's host:port succeeds within the timeout. */
export declare function probe(url: string, timeoutMs?: number): Promise<boolean>;
/** Memoised probe of a named service. */
export declare function isServiceUp(name: ServiceName): Promise<boolean>;
/** True when CI=true. */
export declare const inCI: boolean;
/**
 * A suite that needs real services: runs when reachable; fails (CI) or skips with a printed
 * reason (locally) when not. Use with top-level await in the test file.
 */
export declare function describeWithServices(
  names: ServiceName[],
  title: string,
  body: () => void,
): Promise<void>;
/** Hides a URL's password for printing. */
export declare function redact(url: string): string;
/** `prefix_<time>_<random>` for per-test database, schema and key names. */
export declare function uniqueName(prefix: string): string;

export {
  type BuiltCli,
  builtCli,
  describeBuiltCli,
  type ListeningCli,
  startListening,
} from './built-cli.mjs';

/** Paths of a throw-away PKI (see `createTestPki`). */
export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  rogueCaCert: string;
  rogueCert: string;
  rogueKey: string;
}
/**
 * Generates with the openssl CLI, in a fresh temp folder: a CA, a server certificate for localhost /
 * 127.0.0.1, a client certificate from the same CA, and a rogue client certificate from another CA.
 */
export declare function createTestPki(): TestPki;

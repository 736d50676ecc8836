/**
 * @contextforge/gateway-ui — the admin UI, mounted into the gateway when installed.
 */
export { PACKAGE_NAME, VERSION } from './version.js';

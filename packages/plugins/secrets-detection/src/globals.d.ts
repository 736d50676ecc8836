/** Package version, injected by tsup (build) and vitest (tests) from package.json. */
declare const __PKG_VERSION__: string;
/** Package name, injected the same way. */
declare const __PKG_NAME__: string;

/** The version of @contextforge/plugin-deny-filter, taken from its package.json at build time. */
export const VERSION: string = __PKG_VERSION__;

/** The npm name of this package. */
export const PACKAGE_NAME: string = __PKG_NAME__;

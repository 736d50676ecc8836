/**
 * @contextforge/native-loader — picks and loads the prebuilt N-API binary for this platform.
 */
export { loadNativeBinding, NativeBindingLoadError, type NativeBindingSpec } from './load-native.js';
export { platformTriple } from './platform-triple.js';
export { PACKAGE_NAME, VERSION } from './version.js';

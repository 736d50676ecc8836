// Loader for the node-api test addon: a locally built .node file first, then the per-platform
// package. The only place this binding is required from.
const { loadNativeBinding } = require('@contextforge/native-loader');

module.exports = loadNativeBinding({
  binaryName: 'node-api-test',
  packagePrefix: '@contextforge-internal/native-test',
  directory: __dirname,
});

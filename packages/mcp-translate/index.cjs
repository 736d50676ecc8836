// Alias of @contextforge/translate (same API, same version line).
module.exports = require('@contextforge/translate');

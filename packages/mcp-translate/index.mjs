// Alias of @contextforge/translate (same API, same version line).
export * from '@contextforge/translate';

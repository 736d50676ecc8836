export * from '@contextforge/translate';

const STUB_URL = new URL('./stub.mjs', import.meta.url).href;

export function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier === 'electron-store') return { url: STUB_URL, shortCircuit: true };
  return next(specifier, context);
}

/**
 * HTTP bridge paths (browser preview and e2e). Apart from the schemas in
 * api.ts, which re-exports them, so the preview's server can listen and serve
 * the renderer before zod and the contract load.
 */
export const HTTP_REQUEST_PREFIX = '/api/request/';
export const HTTP_EVENTS_PATH = '/api/events';

/** The one registered client, shared by the provider (child) and startIdp (parent) without loading oidc-provider in the parent. */
export const IDP_CLIENT_ID = 'afp-desktop';
export const IDP_RESOURCE = 'urn:afp:testbed';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Registered without a port: any port on 127.0.0.1 is accepted for this native client (RFC 8252 §7.3). */
export const LOOPBACK_REDIRECT = 'http://127.0.0.1/callback';

/** The one registered client, shared by the provider (child) and startIdp (parent) without loading oidc-provider in the parent. */
export const IDP_CLIENT_ID = 'afp-desktop';
export const IDP_RESOURCE = 'urn:afp:testbed';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Registered without a port: any port on 127.0.0.1 is accepted for this native client (RFC 8252 §7.3). */
export const LOOPBACK_REDIRECT = 'http://127.0.0.1/callback';
/** The client registered for environments' JupyterHubs (site profile hubLogin): confidential, its secret generated per bed. */
export const IDP_HUB_CLIENT_ID = 'afp-hub';
/** A hub reached through `kubectl port-forward` on any 127.0.0.1 port (native client: the port is not compared). */
export const HUB_REDIRECT = 'http://127.0.0.1/hub/oauth_callback';

/**
 * Which URLs may leave the app for the system browser: https anywhere, and
 * plain http only to this machine (port-forwards, loopback sign-in pages).
 */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * An environment's own link (Ingress, NodePort, IM output): plain http to a
 * cluster node is normal there, but never another scheme (file:, javascript:,
 * custom protocol handlers) nor credentials in the URL, since the text may
 * come from the cluster or IM rather than from us.
 */
export function isEnvironmentLinkUrl(raw: string): boolean {
  if (isAllowedExternalUrl(raw)) return true;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && url.username === '' && url.password === '' && url.hostname !== '';
}

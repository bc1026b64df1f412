/**
 * The dispatcher's settings with the site profile's defaults filled in (IM's
 * URL and the cluster's API server may come from `targets.im`), and how the
 * app reaches an infrastructure after the dispatcher created it.
 */
import { AfpError } from '../../errors';
import type { DispatcherTargetSection, ImTargetSection } from '../../site/profile-schema';
import { imAuthorizationHeader, joinLines } from '../im/auth-header';
import { ImClient, imBaseUrl, type RetryPolicy } from '../im/im-client';
import type { TokenSource } from '../im/token-source';

export type DispatcherSettings = DispatcherTargetSection;
export type ImTargetSettings = ImTargetSection;

export interface ResolvedDispatcher {
  /** The POST endpoint. */
  url: string;
  /** IM's `…/infrastructures`, as the dispatcher reaches it (im_url). */
  imInfrastructuresUrl: string;
  provider: { name: string; type: string; endpoint: string };
  statusVia: 'im' | 'proxy' | 'none';
}

export function resolveDispatcher(dispatcher: DispatcherSettings, im: ImTargetSettings | undefined): ResolvedDispatcher {
  const imUrl = dispatcher.imUrl ?? im?.url;
  if (imUrl === undefined)
    throw new AfpError(
      'invalid_profile',
      "The dispatcher needs IM's URL: the site profile sets neither targets.dispatcher.imUrl nor targets.im.url.",
      { field: 'targets.dispatcher.imUrl' },
    );
  const endpoint = dispatcher.provider.endpoint ?? im?.kubernetesLine?.host;
  if (endpoint === undefined) {
    throw new AfpError(
      'invalid_profile',
      "The dispatcher needs the cluster's API server: the site profile sets neither targets.dispatcher.provider.endpoint nor targets.im.kubernetesLine.host.",
      { field: 'targets.dispatcher.provider.endpoint' },
    );
  }
  return {
    url: dispatcher.url,
    imInfrastructuresUrl: `${imBaseUrl(imUrl)}/infrastructures`,
    provider: { name: dispatcher.provider.name, type: dispatcher.provider.type, endpoint },
    statusVia: dispatcher.statusVia ?? (im === undefined ? 'none' : 'im'),
  };
}

/** IM's header as the dispatcher writes it: IM's line without an id, then the provider's line. */
export function dispatcherStyleHeader(resolved: ResolvedDispatcher, token: string): string {
  const { provider } = resolved;
  return joinLines([
    { type: 'InfrastructureManager', token },
    { id: provider.name, type: provider.type, host: provider.endpoint, token },
  ]);
}

export const NOT_FOLLOWED =
  "this site's dispatcher does not offer it: the site profile gives no IM URL to read the infrastructure from (targets.im.url) and no dispatcher proxy (targets.dispatcher.statusVia)";

/** The IM client that reads what the dispatcher created, or undefined when the site offers none. */
export function followClient(
  resolved: ResolvedDispatcher,
  im: ImTargetSettings | undefined,
  tokens: TokenSource,
  extra: { caPem?: string; retry?: RetryPolicy } = {},
): ImClient | undefined {
  const common = {
    tokens,
    caPem: extra.caPem,
    retry: extra.retry,
  };
  if (resolved.statusVia === 'none') return undefined;
  if (resolved.statusVia === 'proxy') {
    const origin = new URL(resolved.url).origin;
    return new ImClient({
      ...common,
      url: origin,
      name: `the dispatcher's IM proxy at ${origin}`,
      authorization: (token) => dispatcherStyleHeader(resolved, token),
    });
  }
  // IM deletes only with a credential line for the cluster: the dispatcher's own lines unless IM takes a plain Bearer (Vault).
  if (im?.authMode === 'bearer')
    return new ImClient({ ...common, url: im.url, authorization: (token) => imAuthorizationHeader({ authMode: 'bearer' }, token) });
  return new ImClient({
    ...common,
    url: im?.url ?? resolved.imInfrastructuresUrl,
    authorization: (token) => dispatcherStyleHeader(resolved, token),
  });
}

/**
 * The IM target: the Plan as TOSCA posted to IM's REST API with the user's
 * token, followed through IM's state until configured; removed by the
 * infrastructure id the inventory recorded.
 */
import { AfpError } from '../../errors';
import { say } from '../../messages/message';
import { renderTosca } from '../../render/tosca/render-tosca';
import type { Plan } from '../../render/types';
import { IM_MIN_INTERVAL_MS } from '../../tracking/status-source';
import type { Target } from '../kinds/target';
import type { ImAuthMode, KubernetesLineOptions } from './auth-header';
import { applyThroughIm } from './im-apply';
import { ImClient, type RetryPolicy } from './im-client';
import { existingInIm, removeThroughIm } from './im-remove';
import type { TokenSource } from './token-source';

export interface ImSettings {
  url: string;
  authMode: ImAuthMode;
  kubernetesLine?: KubernetesLineOptions | undefined;
}

export interface ImTargetOptions {
  im: ImSettings;
  tokens: TokenSource;
  /** The TOSCA document for a plan (default: renderTosca). The capability check runs whatever this is. */
  tosca?: (plan: Plan) => string;
  /** Between state reads while waiting (default IM's own refresh interval, 10 s). */
  pollMs?: number;
  caPem?: string;
  retry?: RetryPolicy;
}

export interface LogsTarget {
  /** IM's log (contmsg) of the infrastructure. */
  logs(infrastructureId: string, signal: AbortSignal): Promise<string>;
}

export type ImTarget = Target & LogsTarget & { readonly client: ImClient };

export function imClientFor(settings: ImSettings, tokens: TokenSource, extra: { caPem?: string; retry?: RetryPolicy } = {}): ImClient {
  return new ImClient({
    url: settings.url,
    tokens,
    authMode: settings.authMode,
    kubernetesLine: settings.kubernetesLine,
    caPem: extra.caPem,
    retry: extra.retry,
  });
}

export function imTarget(options: ImTargetOptions): ImTarget {
  const client = imClientFor(options.im, options.tokens, options);
  const pollMs = options.pollMs ?? IM_MIN_INTERVAL_MS;
  const tosca = options.tosca ?? ((plan: Plan) => renderTosca(plan).yaml);
  const via = say('imDeploy.viaIm', { url: new URL(client.url).origin });
  return {
    kind: 'im',
    client,
    existing: (environment, { signal }) => existingInIm(client, environment.infrastructureId, signal),
    apply: (plan, applyOptions) =>
      applyThroughIm(plan, applyOptions, {
        via,
        tosca,
        follow: client,
        pollMs,
        create: (document, { signal, onRetry }) =>
          client.create(document, { async: true, signal, onRetry, document: `TOSCA of ${plan.environment.name}` }),
      }),
    remove: (request, removeOptions) => removeThroughIm(client, request, removeOptions, pollMs),
    logs: async (infrastructureId, signal) => {
      if (infrastructureId === '') throw new AfpError('invalid_input', 'No infrastructure id: this environment was never created in IM.');
      return client.contmsg(infrastructureId, { signal });
    },
    close: () => undefined,
  };
}

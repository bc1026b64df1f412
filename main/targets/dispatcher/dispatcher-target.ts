/**
 * The dispatcher target: the TOSCA and the user's token posted to the INFN
 * dispatcher, which writes IM's header and creates the infrastructure; the
 * id it answers is recorded, and the infrastructure is followed, read and
 * deleted through IM (directly or by the dispatcher's proxy) where the site
 * profile says how, else plainly reported as not offered by this site.
 */
import { AfpError } from '../../errors';
import { say as sayMessage } from '../../messages/message';
import { renderTosca } from '../../render/tosca/render-tosca';
import type { Plan } from '../../render/types';
import { IM_MIN_INTERVAL_MS } from '../../tracking/status-source';
import type { Target } from '../kinds/target';
import { applyThroughIm, guarded, say } from '../im/im-apply';
import type { ImClient, RetryPolicy } from '../im/im-client';
import { existingInIm, removeThroughIm } from '../im/im-remove';
import type { LogsTarget } from '../im/im-target';
import type { TokenSource } from '../im/token-source';
import { DispatcherClient } from './dispatcher-client';
import { followClient, NOT_FOLLOWED, resolveDispatcher, type DispatcherSettings, type ImTargetSettings } from './dispatcher-settings';

export interface DispatcherTargetOptions {
  dispatcher: DispatcherSettings;
  tokens: TokenSource;
  /** The profile's targets.im: IM's URL to follow the infrastructure, and defaults for the dispatcher's fields. */
  im?: ImTargetSettings;
  tosca?: (plan: Plan) => string;
  pollMs?: number;
  caPem?: string;
  retry?: RetryPolicy;
}

export type DispatcherTarget = Target &
  LogsTarget & {
    /** Where status, outputs, logs and delete go; undefined when this site's dispatcher offers none. */
    readonly follow: ImClient | undefined;
    /** IM's URL to record with the environment (the one `follow` reads), when there is one. */
    readonly imUrl: string | undefined;
  };

export function dispatcherTarget(options: DispatcherTargetOptions): DispatcherTarget {
  const resolved = resolveDispatcher(options.dispatcher, options.im);
  const extra = {
    ...(options.caPem === undefined ? {} : { caPem: options.caPem }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
  const client = new DispatcherClient({ dispatcher: resolved, tokens: options.tokens, ...extra });
  const follow = followClient(resolved, options.im, options.tokens, extra);
  const pollMs = options.pollMs ?? IM_MIN_INTERVAL_MS;
  const tosca = options.tosca ?? ((plan: Plan) => renderTosca(plan).yaml);
  const unavailable = (what: string): AfpError => new AfpError('unavailable', `Cannot ${what}: ${NOT_FOLLOWED}.`);
  return {
    kind: 'dispatcher',
    follow,
    imUrl: follow?.url,
    existing: async (environment, { signal }) => {
      if (follow === undefined)
        return {
          presence: environment.infrastructureId === undefined ? 'absent' : 'unknown',
          secrets: {},
          message: `Cannot read the infrastructure: ${NOT_FOLLOWED}.`,
        };
      return existingInIm(follow, environment.infrastructureId, signal);
    },
    apply: (plan, applyOptions) =>
      applyThroughIm(plan, applyOptions, {
        via: sayMessage('imDeploy.viaDispatcher', { url: new URL(resolved.url).origin }),
        tosca,
        follow,
        pollMs,
        create: (document, { signal, onRetry }) => client.create(document, { signal, onRetry }),
      }),
    remove: async (request, removeOptions) => {
      if (follow !== undefined) return removeThroughIm(follow, request, removeOptions, pollMs);
      const error = unavailable(`delete infrastructure ${request.infrastructureId ?? '(none recorded)'}`);
      say(guarded(removeOptions.onProgress), 'done', error.message);
      return { outcome: 'failed', gone: false, error: error.toJSON() };
    },
    logs: async (infrastructureId, signal) => {
      if (follow === undefined) throw unavailable("read IM's log");
      return follow.contmsg(infrastructureId, { signal });
    },
    close: () => undefined,
  };
}

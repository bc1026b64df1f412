/**
 * POST /api/v1/deployments as infn-datacloud/im-connector takes it: a JSON
 * body with IM's URL, the two tokens, the TOSCA and the provider, the user's
 * JWT as Bearer. Its refusals in plain words: the dispatcher answers 403 for
 * a token it cannot verify (expired: renew once), and passes IM's failures on
 * as bare reason phrases, IM's own message lost.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { createAuthFetch, type FetchLike } from '../../auth/fetch';
import { AfpError } from '../../errors';
import { requireSecureTokenUrl } from '../../site/token-url';
import { backoffDelay } from '../../kube/backoff';
import { infrastructureIdOf } from '../im/im-answers';
import { DEFAULT_IM_RETRY, type Infrastructure, type RetryPolicy } from '../im/im-client';
import { capitalised, imNetworkError, isTransient } from '../im/im-errors';
import type { TokenSource } from '../im/token-source';
import type { ResolvedDispatcher } from './dispatcher-settings';

export interface DispatcherClientOptions {
  dispatcher: ResolvedDispatcher;
  tokens: TokenSource;
  caPem?: string;
  /** Per request (default 120 s: the dispatcher waits for IM to create the Deployments). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  fetch?: FetchLike;
}

export interface PostOptions {
  signal?: AbortSignal;
  onRetry?: (error: AfpError, attempt: number, delayMs: number) => void;
}

const detailAnswer = z.object({
  detail: z.union([
    z.string(),
    z.object({ error: z.string().optional(), error_description: z.string().optional() }),
    z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])).optional(), msg: z.string().optional() })),
  ]),
});

export class DispatcherClient {
  private readonly fetch: FetchLike;
  private readonly retry: RetryPolicy;
  private readonly who: string;

  constructor(private readonly options: DispatcherClientOptions) {
    requireSecureTokenUrl(options.dispatcher.url, "The dispatcher's URL");
    requireSecureTokenUrl(options.dispatcher.imInfrastructuresUrl, "IM's URL as the dispatcher reaches it");
    requireSecureTokenUrl(options.dispatcher.provider.endpoint, "The cluster's API server the dispatcher names to IM");
    this.fetch =
      options.fetch ??
      createAuthFetch({ timeoutMs: options.timeoutMs ?? 120_000, ...(options.caPem === undefined ? {} : { caPem: options.caPem }) });
    this.retry = options.retry ?? DEFAULT_IM_RETRY;
    this.who = `the dispatcher at ${new URL(options.dispatcher.url).origin}`;
  }

  create(tosca: string, options: PostOptions = {}): Promise<Infrastructure> {
    return this.options.tokens.withFreshToken(
      (token) => this.post(tosca, token, options),
      (error) => error instanceof AfpError && error.code === 'unauthorized',
    );
  }

  /** The JSON body the dispatcher expects. */
  body(tosca: string, token: string): Record<string, string> {
    const { dispatcher } = this.options;
    return {
      im_url: dispatcher.imInfrastructuresUrl,
      im_access_token: token,
      iaas_access_token: token,
      tosca_template: tosca,
      provider_name: dispatcher.provider.name,
      provider_endpoint: dispatcher.provider.endpoint,
      provider_type: dispatcher.provider.type,
    };
  }

  private async post(tosca: string, token: string, options: PostOptions): Promise<Infrastructure> {
    const context = { what: 'create the infrastructure', who: this.who };
    for (let attempt = 1; ; attempt += 1) {
      options.signal?.throwIfAborted();
      let error: AfpError;
      let status: number | undefined;
      let cause: unknown;
      try {
        const response = await this.fetch(this.options.dispatcher.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(this.body(tosca, token)),
          signal: options.signal,
        });
        const text = await response.text();
        if (response.ok) return infrastructureOf(response.headers, text);
        status = response.status;
        error = dispatcherError(response.status, text, this.who);
      } catch (thrown) {
        if (options.signal?.aborted === true)
          throw new AfpError('cancelled', `Cancelled while waiting for ${this.who}.`, { cause: thrown });
        if (thrown instanceof AfpError) throw thrown;
        cause = thrown;
        error = imNetworkError(thrown, context);
      }
      if (attempt >= this.retry.attempts || !isTransient(cause, status, false)) throw error;
      const delay = backoffDelay(attempt, this.retry.backoff);
      options.onRetry?.(error, attempt, delay);
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        throw new AfpError('cancelled', `Cancelled while waiting to ask ${this.who} again.`, { cause: error });
      }
    }
  }
}

/** IM's answer as the dispatcher passes it on: the InfID header, and the URI as text/uri-list (or JSON). */
function infrastructureOf(headers: Headers, text: string): Infrastructure {
  let uri = text.trim();
  if (uri.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(uri);
    } catch {
      // Thrown here it would read as a network failure; it is an answer we cannot use.
      throw new AfpError('unavailable', `The dispatcher answered success with a body that is neither JSON nor a URI: ${uri.slice(0, 80)}`);
    }
    const parsed = z.object({ uri: z.string() }).safeParse(data);
    uri = parsed.success ? parsed.data.uri : '';
  }
  uri = uri.split('\n')[0]?.trim() ?? '';
  const id = headers.get('infid') ?? (uri === '' ? undefined : infrastructureIdOf(uri));
  if (id === undefined)
    throw new AfpError('unavailable', 'The dispatcher answered success without naming the infrastructure (no InfID header, no URI).');
  return { id, uri: uri === '' ? id : uri };
}

export function dispatcherError(status: number, text: string, where: string): AfpError {
  const who = capitalised(where);
  let detail: z.infer<typeof detailAnswer>['detail'] | undefined;
  try {
    const parsed = detailAnswer.safeParse(JSON.parse(text));
    if (parsed.success) detail = parsed.data.detail;
  } catch {
    // not JSON (a bare 500)
  }
  if (Array.isArray(detail)) {
    const first = detail[0];
    return new AfpError(
      'invalid_input',
      `${who} refused the request (HTTP ${status}): ${first?.loc?.join('.') ?? 'body'}: ${first?.msg ?? 'invalid'}`,
    );
  }
  if (typeof detail === 'object') {
    const why = detail.error_description ?? detail.error ?? 'not authenticated';
    const code = /issuer is not trusted/i.test(why) ? 'forbidden' : 'unauthorized';
    return new AfpError(
      code,
      `${who} refused the token (HTTP ${status}): ${why}${code === 'forbidden' ? '. The dispatcher does not trust the identity provider you signed in with.' : ''}`,
    );
  }
  if (status === 403 && detail !== undefined) return new AfpError('unauthorized', `${who} refused the token (HTTP 403): ${detail}`);
  if (status >= 500 && detail === undefined) return new AfpError('unavailable', `${who} failed (HTTP ${status}); it may not reach IM.`);
  const phrase = detail ?? `HTTP ${status}`;
  // The dispatcher keeps only IM's status and reason phrase.
  const code =
    status === 401
      ? 'unauthorized'
      : status === 400
        ? 'invalid_input'
        : status === 404
          ? 'not_found'
          : status === 403
            ? 'forbidden'
            : 'unavailable';
  const why =
    status === 400
      ? 'IM refused the TOSCA document'
      : status === 401
        ? 'IM refused the token or the user (for instance not in its required group)'
        : 'IM refused the request';
  return new AfpError(code, `${who}: ${why} (HTTP ${status} ${phrase}); the dispatcher does not pass on IM's own message.`);
}

/**
 * IM's REST API (IM 2.0: IM/rest/routers/infrastructures.py): create, state,
 * outputs, contmsg, list, delete. Every call carries IM's header built from a
 * fresh token (renewed once when IM says it expired), retries what is
 * transient with backoff, and turns every refusal into an AfpError in IM's
 * own words.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuthFetch, type FetchLike } from '../../auth/fetch';
import { AfpError } from '../../errors';
import { requireSecureTokenUrl } from '../../site/token-url';
import { backoffDelay, type BackoffOptions } from '../../kube/backoff';
import { imAuthorizationHeader, type ImAuthMode, type KubernetesLineOptions } from './auth-header';
import {
  contmsgAnswer,
  createAnswer,
  infrastructureIdOf,
  listAnswer,
  outputsAnswer,
  parseAnswer,
  stateAnswer,
  toscaAnswer,
  vmRadlAnswer,
} from './im-answers';
import { imAnswerError, imNetworkError, isTransient, type ImErrorContext } from './im-errors';
import type { TokenSource } from './token-source';

export interface ImClientOptions {
  /** IM's REST endpoint (`…/infrastructures` lives under it; a trailing /infrastructures is accepted). */
  url: string;
  tokens: TokenSource;
  authMode?: ImAuthMode | undefined;
  kubernetesLine?: KubernetesLineOptions | undefined;
  /** Builds the whole header from the token instead (the dispatcher's way of writing it). */
  authorization?: ((token: string) => string) | undefined;
  /** Who answers, in messages (default "IM at <origin>"). */
  name?: string | undefined;
  /** PEM of the site's CA, trusted besides the system's. */
  caPem?: string | undefined;
  /** Per request (default 30 s). */
  timeoutMs?: number | undefined;
  retry?: RetryPolicy | undefined;
  fetch?: FetchLike | undefined;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  backoff: BackoffOptions;
}

export const DEFAULT_IM_RETRY: RetryPolicy = { attempts: 4, backoff: { initialMs: 500, maxMs: 5000 } };

export interface CallOptions {
  signal?: AbortSignal;
  /** Told before each wait for another attempt. */
  onRetry?: (error: AfpError, attempt: number, delayMs: number) => void;
}

export interface CreateOptions extends CallOptions {
  /** true: IM answers at once and builds in the background (default); false: IM answers once the Deployments exist. */
  async?: boolean;
  /** Shown as the file of a TOSCA line IM names in a refusal. */
  document?: string;
}

export interface Infrastructure {
  id: string;
  uri: string;
}

export interface InfrastructureState {
  state: string;
  /** Per container (IM's VM index → state). */
  vmStates: Record<string, string>;
}

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

interface RequestSpec extends CallOptions {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  what: string;
  body?: string;
  document?: string;
  /** Statuses that are answers here, not errors (DELETE: 404). */
  accept?: number[];
}

export class ImClient {
  readonly url: string;
  private readonly fetch: FetchLike;
  private readonly retry: RetryPolicy;
  private readonly header: (token: string) => string;
  private readonly who: string;

  constructor(private readonly options: ImClientOptions) {
    requireSecureTokenUrl(options.url, "IM's URL");
    if (options.kubernetesLine !== undefined) requireSecureTokenUrl(options.kubernetesLine.host, "The cluster's API server in IM's header");
    this.url = imBaseUrl(options.url);
    this.fetch =
      options.fetch ??
      createAuthFetch({ timeoutMs: options.timeoutMs ?? 30_000, ...(options.caPem === undefined ? {} : { caPem: options.caPem }) });
    this.retry = options.retry ?? DEFAULT_IM_RETRY;
    this.header =
      options.authorization ??
      ((token) =>
        imAuthorizationHeader(
          {
            authMode: options.authMode ?? 'token',
            ...(options.kubernetesLine === undefined ? {} : { kubernetesLine: options.kubernetesLine }),
          },
          token,
        ));
    this.who = options.name ?? `IM at ${new URL(this.url).origin}`;
  }

  async create(tosca: string, options: CreateOptions = {}): Promise<Infrastructure> {
    const answer = await this.request({
      ...options,
      method: 'POST',
      path: `/infrastructures${options.async === false ? '' : '?async=1'}`,
      what: 'create the infrastructure',
      body: tosca,
    });
    const uri = parseAnswer(createAnswer, answer.text, 'the create').uri;
    return { id: answer.headers.get('infid') ?? infrastructureIdOf(uri), uri };
  }

  async state(id: string, options: CallOptions = {}): Promise<InfrastructureState> {
    const answer = await this.request({
      ...options,
      method: 'GET',
      path: `/infrastructures/${encodeURIComponent(id)}/state`,
      what: `read the state of infrastructure ${id}`,
    });
    const { state } = parseAnswer(stateAnswer, answer.text, 'the state request');
    return { state: state.state, vmStates: state.vm_states };
  }

  async outputs(id: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const answer = await this.request({
      ...options,
      method: 'GET',
      path: `/infrastructures/${encodeURIComponent(id)}/outputs`,
      what: `read the outputs of infrastructure ${id}`,
    });
    return parseAnswer(outputsAnswer, answer.text, 'the outputs request').outputs ?? {};
  }

  /**
   * The TOSCA document IM keeps for the infrastructure, as IM stores it: it holds the generated tokens and keys
   * (IM's connector takes them only as literal values), so the caller must neither log nor keep it.
   */
  async tosca(id: string, options: CallOptions = {}): Promise<string> {
    const answer = await this.request({
      ...options,
      method: 'GET',
      path: `/infrastructures/${encodeURIComponent(id)}/tosca`,
      what: `read the TOSCA document of infrastructure ${id}`,
    });
    return parseAnswer(toscaAnswer, answer.text, 'the TOSCA request').tosca;
  }

  /** One container's RADL as IM keeps it (its system, and the infrastructure's networks with their ports). */
  async vmRadl(id: string, vm: string, options: CallOptions = {}): Promise<Record<string, unknown>[]> {
    const answer = await this.request({
      ...options,
      method: 'GET',
      path: `/infrastructures/${encodeURIComponent(id)}/vms/${encodeURIComponent(vm)}`,
      what: `read container ${vm} of infrastructure ${id}`,
    });
    return parseAnswer(vmRadlAnswer, answer.text, 'the container request').radl;
  }

  /** IM's contextualisation log of the infrastructure. */
  async contmsg(id: string, options: CallOptions = {}): Promise<string> {
    const answer = await this.request({
      ...options,
      method: 'GET',
      path: `/infrastructures/${encodeURIComponent(id)}/contmsg`,
      what: `read the log of infrastructure ${id}`,
    });
    return parseAnswer(contmsgAnswer, answer.text, 'the log request').contmsg ?? '';
  }

  /** The user's infrastructures. */
  async list(options: CallOptions = {}): Promise<Infrastructure[]> {
    const answer = await this.request({ ...options, method: 'GET', path: '/infrastructures', what: 'list the infrastructures' });
    return parseAnswer(listAnswer, answer.text, 'the list request')['uri-list'].map(({ uri }) => ({ id: infrastructureIdOf(uri), uri }));
  }

  /** Deletes the infrastructure and what IM made for it; `existed: false` when IM no longer knew it (404), which is no error. */
  async remove(id: string, options: CallOptions = {}): Promise<{ existed: boolean }> {
    const answer = await this.request({
      ...options,
      method: 'DELETE',
      path: `/infrastructures/${encodeURIComponent(id)}`,
      what: `delete infrastructure ${id}`,
      accept: [404],
    });
    return { existed: answer.status !== 404 };
  }

  private request(spec: RequestSpec): Promise<Answer> {
    return this.options.tokens.withFreshToken(
      (token) => this.withRetries(spec, token),
      (error) => error instanceof AfpError && error.code === 'unauthorized',
    );
  }

  private async withRetries(spec: RequestSpec, token: string): Promise<Answer> {
    const context: ImErrorContext = { what: spec.what, who: this.who, ...(spec.document === undefined ? {} : { document: spec.document }) };
    const idempotent = spec.method !== 'POST';
    for (let attempt = 1; ; attempt += 1) {
      spec.signal?.throwIfAborted();
      let error: AfpError;
      let status: number | undefined;
      let cause: unknown;
      try {
        const answer = await this.send(spec, token);
        if ((answer.status >= 200 && answer.status < 300) || spec.accept?.includes(answer.status) === true) return answer;
        status = answer.status;
        error = imAnswerError(answer.status, answer.text, context);
      } catch (thrown) {
        if (spec.signal?.aborted === true)
          throw new AfpError('cancelled', `Cancelled while waiting for ${this.who} to ${spec.what}.`, { cause: thrown });
        if (thrown instanceof AfpError) throw thrown;
        cause = thrown;
        error = imNetworkError(thrown, context);
      }
      if (attempt >= this.retry.attempts || !isTransient(cause, status, idempotent)) throw error;
      const delay = backoffDelay(attempt, this.retry.backoff);
      spec.onRetry?.(error, attempt, delay);
      try {
        await sleep(delay, undefined, { signal: spec.signal });
      } catch {
        throw new AfpError('cancelled', `Cancelled while waiting to ask ${this.who} again to ${spec.what}.`, { cause: error });
      }
    }
  }

  private async send(spec: RequestSpec, token: string): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: this.header(token) };
    if (spec.body !== undefined) headers['content-type'] = 'text/yaml';
    const response = await this.fetch(`${this.url}${spec.path}`, {
      method: spec.method,
      headers,
      body: spec.body,
      signal: spec.signal,
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }
}

/** "https://im.example:8800/" and "…/infrastructures" both mean IM at https://im.example:8800. */
export function imBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AfpError('invalid_profile', `IM's URL is not a URL: ${url}`, { field: 'targets.im.url' });
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '').replace(/\/infrastructures$/, '')}`;
}

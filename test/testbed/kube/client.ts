/**
 * A minimal Kubernetes REST client for the test bed's own chores (nodes,
 * bootstrap objects, tokens): plain HTTPS with the admin client certificate,
 * one keep-alive agent, JSON in and out. The product uses its own client.
 */
import { Agent, request } from 'node:https';

export interface KubeCredentials {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

export type PatchType = 'merge' | 'strategic' | 'json';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export class KubeRequestError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    message: string,
  ) {
    super(`${method} ${path}: HTTP ${status}: ${message}`);
    this.name = 'KubeRequestError';
  }
}

export class KubeClient {
  private readonly agent: Agent;
  private readonly server: URL;

  constructor(credentials: KubeCredentials) {
    this.server = new URL(credentials.server);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 8,
      ca: credentials.caPem,
      cert: credentials.clientCertPem,
      key: credentials.clientKeyPem,
    });
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  /** GET that answers undefined for 404. */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof KubeRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  /** POST that treats "already exists" as success. */
  async ensure(path: string, body: unknown): Promise<void> {
    try {
      await this.post(path, body);
    } catch (error) {
      if (!(error instanceof KubeRequestError && error.status === 409)) throw error;
    }
  }

  patch<T>(path: string, body: unknown, type: PatchType = 'merge'): Promise<T> {
    return this.send<T>('PATCH', path, body, PATCH_CONTENT_TYPES[type]);
  }

  /** DELETE that treats "not found" as success. */
  async remove(path: string, body?: unknown): Promise<void> {
    try {
      await this.send('DELETE', path, body);
    } catch (error) {
      if (!(error instanceof KubeRequestError && error.status === 404)) throw error;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private send<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = request(
        new URL(path, this.server),
        {
          method,
          agent: this.agent,
          timeout: 30_000,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': payload.length }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(new KubeRequestError(status, method, path, statusMessage(text)));
              return;
            }
            try {
              resolve((text === '' ? undefined : JSON.parse(text)) as T);
            } catch {
              reject(new KubeRequestError(status, method, path, `answer is not JSON: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function statusMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not a Status object
  }
  return text.slice(0, 300);
}

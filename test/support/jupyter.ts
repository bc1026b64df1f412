/**
 * What a physicist does in JupyterHub, through its own REST API and Jupyter's
 * kernel channels, for the journey tests: sign in with the hub's login form,
 * get an API token, start the user's server, run Python in a kernel there.
 */
import { randomUUID } from 'node:crypto';
import { waitUntil } from './testbed';
import { openWebSocket } from './websocket';

export interface HubSession {
  /** e.g. http://127.0.0.1:41234 (the proxy's public port, forwarded). */
  base: string;
  user: string;
  token: string;
}

class Cookies {
  private jar = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }
  get(name: string): string | undefined {
    return this.jar.get(name);
  }
  header(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Signs in on the hub's login page (as a browser would: the form with its
 * _xsrf field), then asks the hub for an API token as that user.
 * Throws with the hub's answer when the login is refused.
 */
export async function hubSignIn(base: string, user: string, password: string): Promise<HubSession> {
  const cookies = new Cookies();
  const page = await fetch(`${base}/hub/login`, { redirect: 'manual' });
  cookies.take(page);
  const html = await page.text();
  // The cookie's own value, as the hub's pages send it in their X-XSRFToken header: the form field
  // sometimes carried another token than the cookie set beside it ("XSRF cookie does not match POST argument").
  const xsrf = cookies.get('_xsrf') ?? /name="_xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (xsrf === undefined) throw new Error(`the hub's login page (HTTP ${page.status}) has no _xsrf field: ${html.slice(0, 300)}`);
  const login = await fetch(`${base}/hub/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.header() },
    body: new URLSearchParams({ username: user, password, _xsrf: xsrf }).toString(),
  });
  cookies.take(login);
  if (login.status !== 302 || cookies.get('jupyterhub-session-id') === undefined)
    throw new Error(`the hub refused ${user}'s login: HTTP ${login.status} ${loginError(await login.text())}`);
  return apiToken(base, user, cookies, cookies.get('_xsrf') ?? xsrf);
}

/** What hubSignInThroughIdp needs of the IdP: its login form, filled as a person would (test/testbed/idp/form-sign-in.ts). */
export type IdpSignIn = (authorizeUrl: string) => Promise<{ redirect?: URL; status: number; pageText?: string }>;

/**
 * Signs in as a browser would with OAuthenticator: the hub's "Sign in with …"
 * sends the browser to the identity provider, `signIn` fills its form, the
 * provider sends the browser back to the hub's callback with a code. Throws
 * with the hub's answer when it refuses the user.
 */
export async function hubSignInThroughIdp(base: string, user: string, signIn: IdpSignIn): Promise<HubSession> {
  const cookies = new Cookies();
  const start = await fetch(`${base}/hub/oauth_login`, { redirect: 'manual' });
  cookies.take(start);
  const authorize = start.headers.get('location');
  if (start.status !== 302 || authorize === null)
    throw new Error(
      `the hub's oauth_login sent no redirect to the identity provider: HTTP ${start.status} ${loginError(await start.text())}`,
    );
  const signedIn = await signIn(authorize);
  if (signedIn.redirect === undefined)
    throw new Error(`the identity provider did not send ${user} back: HTTP ${signedIn.status} ${signedIn.pageText ?? ''}`);
  const back = await fetch(signedIn.redirect, { redirect: 'manual', headers: { cookie: cookies.header() } });
  cookies.take(back);
  if (back.status !== 302 || cookies.get('jupyterhub-session-id') === undefined)
    throw new Error(`the hub refused ${user}'s login: HTTP ${back.status} ${loginError(await back.text())}`);
  // A page of the hub sets the _xsrf cookie that API calls with the session cookie must echo.
  cookies.take(await fetch(`${base}/hub/home`, { redirect: 'manual', headers: { cookie: cookies.header() } }));
  const xsrf = cookies.get('_xsrf');
  if (xsrf === undefined) throw new Error(`the hub set no _xsrf cookie for ${user} after the sign-in`);
  return apiToken(base, user, cookies, xsrf);
}

/** An API token for the signed-in user, asked with the session's cookies as the hub's own pages do. */
async function apiToken(base: string, user: string, cookies: Cookies, xsrf: string): Promise<HubSession> {
  const tokens = await fetch(`${base}/hub/api/users/${user}/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.header(), 'X-XSRFToken': xsrf },
    body: JSON.stringify({ note: 'journey test', expires_in: 3600 }),
  });
  if (tokens.status !== 201) throw new Error(`the hub gave ${user} no API token: HTTP ${tokens.status} ${await tokens.text()}`);
  const { token } = (await tokens.json()) as { token: string };
  return { base, user, token };
}

/** The message a refused login page shows (JupyterHub's login_error), else the start of the page. */
function loginError(html: string): string {
  const message = /class="[^"]*login_error[^"]*"[^>]*>\s*([^<]+?)\s*</.exec(html)?.[1];
  if (message !== undefined) return message;
  const body = html.slice(html.indexOf('<body'));
  return body
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

async function hubApi<T>(session: HubSession, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${session.base}${path}`, {
    ...init,
    headers: { authorization: `token ${session.token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

interface HubUser {
  servers?: Record<string, { ready: boolean; pending: string | null; url: string }>;
}

/** Starts the user's default server through the hub's REST API and waits until the hub says it is ready. */
export async function startServer(session: HubSession, timeoutMs = 300_000): Promise<void> {
  const started = await hubApi<unknown>(session, `/hub/api/users/${session.user}/server`, { method: 'POST', body: '{}' });
  if (started.status !== 201 && started.status !== 202 && started.status !== 400)
    throw new Error(`the hub did not start ${session.user}'s server: HTTP ${started.status} ${JSON.stringify(started.body)}`);
  await waitUntil(
    `${session.user}'s Jupyter server to be ready`,
    async () => {
      const user = await hubApi<HubUser>(session, `/hub/api/users/${session.user}`);
      return user.body.servers?.['']?.ready === true;
    },
    timeoutMs,
    1000,
  );
}

/** Stops the user's default server and waits until the hub no longer lists it. */
export async function stopServer(session: HubSession, timeoutMs = 120_000): Promise<void> {
  await hubApi<unknown>(session, `/hub/api/users/${session.user}/server`, { method: 'DELETE' });
  await waitUntil(
    `${session.user}'s server to stop`,
    async () => (await hubApi<HubUser>(session, `/hub/api/users/${session.user}`)).body.servers?.[''] === undefined,
    timeoutMs,
    1000,
  );
}

export interface Execution {
  stdout: string;
  stderr: string;
  /** `ename: evalue` and the traceback when the code raised. */
  error?: string;
}

// Tracebacks come coloured with ANSI escapes.
// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

interface KernelMessage {
  header: { msg_type: string };
  parent_header: { msg_id?: string };
  channel: string;
  content: { name?: string; text?: string; execution_state?: string; ename?: string; evalue?: string; traceback?: string[] };
}

/** Starts a kernel in the user's server (Jupyter's REST API), runs `code` over its websocket, returns what it printed; the kernel is shut down after. */
export async function runPython(session: HubSession, code: string, timeoutMs = 180_000): Promise<Execution> {
  const api = `/user/${session.user}/api`;
  const kernel = await hubApi<{ id: string }>(session, `${api}/kernels`, { method: 'POST', body: JSON.stringify({ name: 'python3' }) });
  if (kernel.status !== 201) throw new Error(`no kernel: HTTP ${kernel.status} ${JSON.stringify(kernel.body)}`);
  const socket = await openWebSocket(`${session.base.replace(/^http/, 'ws')}${api}/kernels/${kernel.body.id}/channels`, {
    authorization: `token ${session.token}`,
  });
  try {
    const msgId = randomUUID();
    const result: Execution = { stdout: '', stderr: '' };
    const done = new Promise<Execution>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the kernel did not finish within ${timeoutMs} ms; so far: ${JSON.stringify(result)}`)),
        timeoutMs,
      );
      socket.onMessage((text) => {
        const message = JSON.parse(text) as KernelMessage;
        if (message.parent_header.msg_id !== msgId || message.channel !== 'iopub') return;
        const content = message.content;
        if (message.header.msg_type === 'stream') result[content.name === 'stderr' ? 'stderr' : 'stdout'] += content.text ?? '';
        if (message.header.msg_type === 'error')
          result.error = `${content.ename}: ${content.evalue}\n${(content.traceback ?? []).join('\n').replace(ANSI_COLOUR, '')}`;
        if (message.header.msg_type === 'status' && content.execution_state === 'idle') {
          clearTimeout(timer);
          resolve(result);
        }
      });
      void socket.closed.then((why) => {
        clearTimeout(timer);
        reject(new Error(`the kernel's websocket ended before the code finished: ${why}`));
      });
    });
    socket.send(
      JSON.stringify({
        header: {
          msg_id: msgId,
          msg_type: 'execute_request',
          username: session.user,
          session: randomUUID(),
          version: '5.3',
          date: new Date().toISOString(),
        },
        parent_header: {},
        metadata: {},
        content: { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true },
        channel: 'shell',
        buffers: [],
      }),
    );
    return await done;
  } finally {
    socket.close();
    await hubApi<unknown>(session, `${api}/kernels/${kernel.body.id}`, { method: 'DELETE' }).catch(() => undefined);
  }
}

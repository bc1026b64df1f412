/**
 * The bed's fault proxies and their control endpoint:
 *   apiServer      tcp mode: TLS and client certificates pass through (kubectl, the admin kubeconfig)
 *   apiServerHttp  http mode: sees each request (5xx, 410 on watches, cut exactly the watches);
 *                  terminates TLS, so only bearer tokens (OIDC, service accounts) authenticate through it
 *   idp, im        http mode
 */
import { join } from 'node:path';
import type { Ca, IssuedCert } from '../ca';
import type { ProxyEnv, TestbedEnv } from '../env';
import { writeKubeconfig } from '../kube/kubeconfig';
import { LOOPBACK } from '../net';
import { startControlServer } from './control';
import type { ControlServer, ServerSwitch } from './control';
import { FaultProxy } from './proxy';

export interface BedProxyOptions {
  ca: Ca;
  dir: string;
  apiServerUrl: string;
  admin: IssuedCert;
  adminToken: string;
  idpIssuer?: string;
  imUrl?: string;
  servers: Map<string, ServerSwitch>;
}

export interface BedProxies {
  proxies: Map<string, FaultProxy>;
  control: ControlServer;
  env: TestbedEnv['proxies'];
  close(): Promise<void>;
}

export async function startBedProxies(opts: BedProxyOptions): Promise<BedProxies> {
  const proxies = new Map<string, FaultProxy>();
  const close = async (): Promise<void> => {
    await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
  };
  try {
    const serving = await opts.ca.issue('fault-proxy', [LOOPBACK, 'localhost']);
    const start = async (name: string, mode: 'tcp' | 'http', url: string): Promise<FaultProxy> => {
      const target = new URL(url);
      const tls = target.protocol === 'https:';
      const port = Number(target.port === '' ? (tls ? 443 : 80) : target.port);
      const proxy = await FaultProxy.start({
        name,
        mode,
        upstream: { host: target.hostname, port, ...(tls ? { tlsCa: opts.ca.certPem } : {}) },
        serving,
      });
      proxies.set(name, proxy);
      return proxy;
    };
    const apiServer = await start('apiServer', 'tcp', opts.apiServerUrl);
    const apiServerHttp = await start('apiServerHttp', 'http', opts.apiServerUrl);
    if (opts.idpIssuer !== undefined) await start('idp', 'http', opts.idpIssuer);
    if (opts.imUrl !== undefined) await start('im', 'http', opts.imUrl);
    const control = await startControlServer(proxies, opts.servers);

    const describe = (name: string, kubeconfig?: string): ProxyEnv | undefined => {
      const proxy = proxies.get(name);
      if (proxy === undefined) return undefined;
      return {
        url: proxy.url,
        control: `${control.url}/proxies/${name}`,
        mode: proxy.mode,
        ...(kubeconfig === undefined ? {} : { kubeconfig }),
      };
    };
    const apiKubeconfig = await writeKubeconfig(join(opts.dir, 'admin-via-proxy.kubeconfig'), {
      server: apiServer.url,
      caPem: opts.ca.certPem,
      clientCertPem: opts.admin.certPem,
      clientKeyPem: opts.admin.keyPem,
    });
    const httpKubeconfig = await writeKubeconfig(join(opts.dir, 'token-via-http-proxy.kubeconfig'), {
      server: apiServerHttp.url,
      caPem: opts.ca.certPem,
      token: opts.adminToken,
    });
    return {
      proxies,
      control,
      env: {
        control: control.url,
        apiServer: describe('apiServer', apiKubeconfig),
        apiServerHttp: describe('apiServerHttp', httpKubeconfig),
        idp: describe('idp'),
        im: describe('im'),
      },
      close: async () => {
        await control.close();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

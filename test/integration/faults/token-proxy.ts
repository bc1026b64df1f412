/**
 * An HTTP-level fault proxy of the test's own in front of the shared bed's API
 * server: it sees each request, so it can answer chosen ones with a 5xx or 410
 * and cut exactly the watches, without disturbing the suites beside it. It
 * terminates TLS with the bed's fault-proxy certificate, so clients
 * authenticate with the bed's admin token.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FaultProxy } from '../../testbed/fault/proxy';
import { kubeconfigYaml } from '../../testbed/kube/kubeconfig';
import { testbedEnv } from '../../support/testbed';

export interface TokenProxy {
  proxy: FaultProxy;
  /** Admin token kubeconfig through the proxy; context "afp-testbed". */
  kubeconfig: string;
}

export async function startTokenProxy(name: string, dir: string): Promise<TokenProxy> {
  const env = testbedEnv();
  const pki = path.dirname(env.caPath);
  const caPem = readFileSync(env.caPath, 'utf8');
  const serving = {
    certPem: readFileSync(path.join(pki, 'fault-proxy.crt'), 'utf8'),
    keyPem: readFileSync(path.join(pki, 'fault-proxy.key'), 'utf8'),
  };
  const api = new URL(env.apiServerUrl);
  const proxy = await FaultProxy.start({
    name,
    mode: 'http',
    upstream: { host: api.hostname, port: Number(api.port), tlsCa: caPem },
    serving,
  });
  const kubeconfig = path.join(dir, `${name}.kubeconfig`);
  writeFileSync(kubeconfig, kubeconfigYaml({ server: proxy.url, caPem, token: env.adminToken }), { mode: 0o600 });
  return { proxy, kubeconfig };
}

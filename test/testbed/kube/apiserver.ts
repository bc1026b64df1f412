/**
 * kube-apiserver over HTTPS on 127.0.0.1: client certificates from the bed's
 * CA, RBAC + Node authorization, service-account tokens, and (when an IdP is
 * given) OIDC authentication through the structured authentication config.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Ca } from '../ca';
import { freePort, LOOPBACK, waitHealthy } from '../net';
import { ManagedProcess } from '../process';

export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const SERVICE_CIDR = '10.96.0.0/16';

export interface OidcTrust {
  issuer: string;
  clientId: string;
  /** PEM of the CA that signed the issuer's serving certificate. */
  caPem: string;
}

export interface ApiServerOptions {
  binDir: string;
  dir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  etcdUrl: string;
  /** PEM of the admin client certificate and key, used to probe /readyz. */
  admin: { certPem: string; keyPem: string };
  oidc?: OidcTrust;
  /**
   * The host's address on the real nodes' network (node/network.ts): in the
   * serving certificate, and advertised, so the `kubernetes` Service leads
   * there; node/api-forward.ts forwards it to 127.0.0.1.
   */
  advertiseAddress?: string;
}

export interface ApiServer {
  url: string;
  port: number;
  process: ManagedProcess;
  /** Service-account signing key (PEM), which the controller manager's token controller also needs. */
  serviceAccountKeyPath: string;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const port = await freePort();
  const url = `https://${LOOPBACK}:${port}`;
  const serving = await opts.ca.issue('kube-apiserver', [
    LOOPBACK,
    'localhost',
    '10.96.0.1',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    ...(opts.advertiseAddress === undefined ? [] : [opts.advertiseAddress]),
  ]);
  // How it authenticates to kubelets (logs, exec, port-forward on real nodes).
  const kubeletClient = await opts.ca.issue('kube-apiserver-kubelet-client', [], {
    clientAuth: true,
    commonName: 'kube-apiserver-kubelet-client',
    organizations: ['system:masters'],
  });
  // The aggregation layer's front-proxy settings, as kubeadm sets them; without them
  // every component logs a missing requestheader CA bundle.
  const frontProxy = await opts.ca.issue('front-proxy-client', [], { clientAuth: true, commonName: 'front-proxy-client' });
  const serviceAccountKeyPath = join(opts.dir, 'service-account.key');
  const serviceAccountPubPath = join(opts.dir, 'service-account.pub');
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(serviceAccountKeyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(serviceAccountPubPath, keys.publicKey.export({ type: 'spki', format: 'pem' }));

  const args = [
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${port}`,
    `--etcd-servers=${opts.etcdUrl}`,
    `--tls-cert-file=${serving.certPath}`,
    `--tls-private-key-file=${serving.keyPath}`,
    `--client-ca-file=${opts.ca.certPath}`,
    '--authorization-mode=Node,RBAC',
    // PodNodeSelector and PodTolerationRestriction act only in namespaces annotated for them:
    // how a site steers pods it cannot change (IM's Deployments) onto chosen nodes.
    '--enable-admission-plugins=NodeRestriction,PodNodeSelector,PodTolerationRestriction',
    '--allow-privileged=true',
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${serviceAccountPubPath}`,
    `--service-account-signing-key-file=${serviceAccountKeyPath}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--profiling=false',
    `--requestheader-client-ca-file=${opts.ca.certPath}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${frontProxy.certPath}`,
    `--proxy-client-key-file=${frontProxy.keyPath}`,
    `--kubelet-client-certificate=${kubeletClient.certPath}`,
    `--kubelet-client-key=${kubeletClient.keyPath}`,
    // a node's name does not resolve; its InternalIP is in a namespace of the bed
    '--kubelet-preferred-address-types=InternalIP,Hostname',
  ];
  if (opts.advertiseAddress !== undefined) args.push(`--advertise-address=${opts.advertiseAddress}`);
  if (opts.oidc !== undefined) {
    const configPath = join(opts.dir, 'authentication-config.yaml');
    await writeFile(configPath, authenticationConfig(opts.oidc));
    args.push(`--authentication-config=${configPath}`);
  }
  const process = new ManagedProcess(
    { name: 'kube-apiserver', command: join(opts.binDir, 'kube-apiserver'), args, logDir: opts.logDir },
    opts.marker,
  );
  process.start();
  await waitHealthy(
    `${url}/readyz`,
    { ca: opts.ca.certPem, cert: opts.admin.certPem, key: opts.admin.keyPem },
    { timeoutMs: 90_000, process },
  );
  return { url, port, process, serviceAccountKeyPath };
}

/**
 * The structured form (GA since v1.34) rather than the --oidc-* flags: it takes the
 * CA inline and maps claims with CEL, so the user name is `preferred_username`
 * when the IdP sends one (kubectl auth whoami then says "alice"), else `sub`.
 */
function authenticationConfig(oidc: OidcTrust): string {
  return stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [
      {
        issuer: { url: oidc.issuer, audiences: [oidc.clientId], certificateAuthority: oidc.caPem },
        claimMappings: {
          username: { expression: 'has(claims.preferred_username) ? claims.preferred_username : claims.sub' },
          groups: { expression: 'has(claims.groups) ? claims.groups : []' },
        },
      },
    ],
  });
}

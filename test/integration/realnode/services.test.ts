import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectl, kubectlOk, withNamespace } from '../../support/testbed';
import { apply, realNodes, realPod, skipWithoutRealNodes, waitReady } from './real-node';

// busybox's wget -T crashes (SIGSEGV) in Debian's static build; `timeout` bounds the wait instead.
function server(name: string, node: number, token: string): object {
  return realPod({
    name,
    node,
    labels: { app: name },
    command: ['sh', '-c', `mkdir -p /www && echo ${token} > /www/index.html && exec httpd -f -p 8080 -h /www`],
    readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
  });
}

const service = (name: string): object => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
});

describe('real container node: Services, cluster DNS and pod-to-pod traffic', { skip: skipWithoutRealNodes(), timeout: 180_000 }, () => {
  test('a Service resolves by its DNS name from a pod on another node and answers through kube-proxy', async (t) => {
    const real = realNodes();
    assert.ok(real.names.length >= 2, `this needs two real nodes; the bed has ${real.names.join(', ')}`);
    const ns = await withNamespace(t, 'real-svc');
    await apply(
      ns,
      server('backend', 0, 'answer-from-backend'),
      service('backend'),
      realPod({ name: 'client', node: 1, command: ['sleep', '3600'] }),
    );
    const backend = await waitReady(ns, 'backend');
    const client = await waitReady(ns, 'client');
    assert.notEqual(backend.spec.nodeName, client.spec.nodeName, 'client and backend on different real nodes');
    const clusterIp = (await kubectlOk(['get', 'service', 'backend', '-n', ns, '-o', 'jsonpath={.spec.clusterIP}'])).trim();

    const fqdn = `backend.${ns}.svc.cluster.local`;
    const lookup = await kubectlOk(['exec', '-n', ns, 'client', '--', 'nslookup', fqdn]);
    assert.match(lookup, new RegExp(`Name:\\s+${fqdn.replace(/\./g, '\\.')}\\s+Address:\\s+${clusterIp.replace(/\./g, '\\.')}`));

    // The short names through the pod's search path (as `scheduler.<ns>.svc` in the analysis facility), then the full one: all answered by the backend behind the ClusterIP.
    for (const host of ['backend', `backend.${ns}.svc`, fqdn]) {
      const answer = await kubectl([
        'exec',
        '-n',
        ns,
        'client',
        '--',
        'timeout',
        '10',
        'wget',
        '-q',
        '-O',
        '-',
        `http://${host}/index.html`,
      ]);
      assert.equal(answer.stdout, 'answer-from-backend\n', `GET http://${host}/ (${answer.stderr})`);
    }

    const missing = await kubectl(['exec', '-n', ns, 'client', '--', 'nslookup', `nothing-here.${ns}.svc.cluster.local`]);
    assert.notEqual(missing.code, 0, 'a name without a Service does not resolve');
  });

  test('a pod reaches a pod on the other real node at its pod IP', async (t) => {
    const ns = await withNamespace(t, 'real-p2p');
    await apply(ns, server('there', 1, 'answer-from-there'), realPod({ name: 'here', node: 0, command: ['sleep', '3600'] }));
    const there = await waitReady(ns, 'there');
    await waitReady(ns, 'here');
    const answer = await kubectl([
      'exec',
      '-n',
      ns,
      'here',
      '--',
      'timeout',
      '10',
      'wget',
      '-q',
      '-O',
      '-',
      `http://${there.status.podIP}:8080/index.html`,
    ]);
    assert.equal(answer.stdout, 'answer-from-there\n', answer.stderr);
  });
});

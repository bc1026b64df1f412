import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl, kubectlOk, withNamespace } from '../../support/testbed';
import { apply, isReady, pod, portForward, realNodes, realPod, skipWithoutRealNodes, waitReady } from './real-node';

/** An HTTP server in the pod that serves /ready only once the file exists, `delay` seconds after start. */
function webPod(name: string, delay: number, token: string): object {
  return realPod({
    name,
    labels: { app: name },
    command: [
      'sh',
      '-c',
      `mkdir -p /www && echo ${token} > /www/index.html && echo "${token} started"; ` +
        `(sleep ${delay}; echo ok > /www/ready) & exec httpd -f -p 8080 -h /www`,
    ],
    readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

describe('real container node: a pod from a locally built image', { skip: skipWithoutRealNodes(), timeout: 180_000 }, () => {
  test('reaches Ready only when its real readiness probe passes, and a failing probe keeps another unready', async (t) => {
    const real = realNodes();
    const ns = await withNamespace(t, 'real-ready');
    await apply(ns, webPod('slow', 4, 'slow-token'), webPod('never', 100_000, 'never-token'));

    // Running but not Ready while the file the probe asks for does not exist yet.
    let seenUnready = false;
    for (let i = 0; i < 40 && !seenUnready; i++) {
      const status = await pod(ns, 'slow');
      seenUnready = status.status.phase === 'Running' && !isReady(status);
      if (!seenUnready) await sleep(100);
    }
    assert.ok(seenUnready, 'the pod ran before its probe passed (a simulated node marks pods Ready at once)');
    const ready = await waitReady(ns, 'slow');
    assert.ok(real.names.includes(ready.spec.nodeName ?? ''), `landed on a real node (${ready.spec.nodeName})`);
    assert.match(ready.status.containerStatuses?.[0]?.containerID ?? '', /^containerd:\/\//, 'run by containerd');

    const never = await pod(ns, 'never');
    assert.equal(never.status.phase, 'Running');
    assert.equal(isReady(never), false, 'a pod whose probe keeps failing is not Ready');
    const events = await kubectlOk([
      'get',
      'events',
      '-n',
      ns,
      '--field-selector',
      'involvedObject.name=never',
      '-o',
      'jsonpath={.items[*].reason}',
    ]);
    assert.match(events, /Unhealthy/, 'the kubelet reports the failing probe');
  });

  test('kubectl logs, exec and port-forward reach it through the API server', async (t) => {
    const ns = await withNamespace(t, 'real-io');
    await apply(ns, webPod('web', 0, 'web-token-42'));
    await waitReady(ns, 'web');

    assert.match(await kubectlOk(['logs', '-n', ns, 'web']), /web-token-42 started/);

    const exec = await kubectl(['exec', '-n', ns, 'web', '--', 'sh', '-c', 'cat /www/index.html; hostname; exit 3']);
    assert.equal(exec.code, 3, `exec passes the command's exit code back (${exec.stderr})`);
    assert.equal(exec.stdout, 'web-token-42\nweb\n');

    const forward = await portForward(ns, 'pod/web', 8080);
    t.after(() => forward.stop());
    const answer = await get(forward.port, '/index.html');
    assert.deepEqual(answer, { status: 200, body: 'web-token-42\n' });
  });
});

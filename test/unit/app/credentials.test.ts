/**
 * Which environments the Kubernetes reader reads credentials for: IM and
 * dispatcher records are read from IM instead (credentials-im.test.ts), and
 * without a session say so; a record whose template declares none answers
 * with none, without asking any cluster.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { environmentCredentials, readCredentials } from '../../../main/app/credentials';
import type { EnvironmentRecord } from '../../../main/inventory/record';

const base: Omit<EnvironmentRecord, 'target'> = {
  id: 'id-1',
  name: 'data',
  template: { name: 'minio', version: '1.0.0' },
  values: {},
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  status: { phase: 'Ready', since: '2026-01-01T00:00:00Z' },
  objects: [],
  links: [],
  operations: [],
  credentials: [{ id: 'minio-0', title: 'MinIO', component: 'minio', secret: { name: 'minio-root', key: 'password' } }],
};

const neverAsked = (): never => {
  throw new Error('no cluster may be asked');
};

describe('readCredentials', () => {
  it('IM and the dispatcher: no cluster asked; without a session, none, and why', async () => {
    for (const target of [
      { kind: 'im' as const, imUrl: 'https://im.example.org' },
      { kind: 'dispatcher' as const, dispatcherUrl: 'https://dispatcher.example.org' },
    ]) {
      const view = await readCredentials({ ...base, target }, neverAsked);
      assert.deepEqual(view.credentials, []);
      assert.match(view.unavailable ?? '', /read from IM: sign in to read them/);
      const signedOut = await environmentCredentials({ ...base, target }, { profile: () => null });
      assert.deepEqual(signedOut, view);
    }
  });

  it('a kube environment whose template declares none: none, no cluster asked', async () => {
    const target = { kind: 'kube' as const, context: 'c', server: 'https://127.0.0.1:1', namespace: 'data' };
    assert.deepEqual(await readCredentials({ ...base, target, credentials: [] }, neverAsked), { credentials: [] });
  });
});

import type { EnvironmentRecord } from '../../../main/inventory/record';

/** A valid kube environment record; `patch` overrides top-level fields. */
export function kubeRecord(patch: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  const id = patch.id ?? 'env-1';
  const name = patch.name ?? 'demo';
  return {
    id,
    name,
    template: { name: 'analysis-facility', version: '1.0.0' },
    values: { 'dask.workers': 2 },
    target: { kind: 'kube', context: 'testbed', server: 'https://127.0.0.1:6443', namespace: `afp-${name}` },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    status: { phase: 'Ready', since: '2025-01-01T00:00:00.000Z' },
    objects: [],
    links: [],
    operations: [],
    ...patch,
  };
}

/**
 * What deleting an environment destroys, derived from its recorded plan: its
 * namespace (or IM infrastructure), every volume it claimed and what those
 * hold (MinIO's buckets, the hub's database), and the home volumes JupyterHub
 * creates per user. Said before the user types the name to confirm.
 */
import type { DeletionLoss } from '../contract/environments';
import type { EnvironmentRecord } from '../inventory/record';
import { infrastructureOf, recordedNamespace } from '../targets/kinds/traits';

const COMPONENT_LABEL = 'app.kubernetes.io/component';

interface ClaimManifest {
  kind?: unknown;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { resources?: { requests?: { storage?: unknown } } };
}

export function deletionLosses(record: EnvironmentRecord): DeletionLoss[] {
  const losses: DeletionLoss[] = [];
  const namespace = recordedNamespace(record.target);
  const infrastructure = infrastructureOf(record.target);
  if (namespace !== undefined) losses.push({ kind: 'namespace', name: namespace });
  if (infrastructure !== undefined) losses.push({ kind: 'infrastructure', name: infrastructure });
  const claims = (record.manifests ?? []) as ClaimManifest[];
  const recorded = claims.filter((m) => m.kind === 'PersistentVolumeClaim');
  // Records from before manifests were kept still name their claims.
  const names = recorded.length > 0 ? [] : record.objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.name);
  for (const claim of recorded) {
    const component = claim.metadata?.labels?.[COMPONENT_LABEL];
    const size = claim.spec?.resources?.requests?.storage;
    losses.push({
      kind: component === 'minio' ? 'buckets' : 'volume',
      name: claim.metadata?.name ?? '',
      component,
      ...(typeof size === 'string' ? { size } : {}),
    });
  }
  for (const name of names) losses.push({ kind: 'volume', name });
  const homes = record.values.userStorage;
  if (homes !== undefined) losses.push({ kind: 'homes', name: 'claim-<user>', size: String(homes) });
  return losses;
}

/** The same, in one English line each, for the command line. */
export function lossText(loss: DeletionLoss): string {
  const size = loss.size === undefined ? '' : `, ${loss.size}`;
  switch (loss.kind) {
    case 'namespace':
      return `namespace ${loss.name} and everything in it`;
    case 'infrastructure':
      return `IM infrastructure ${loss.name} and its containers`;
    case 'buckets':
      return `every MinIO bucket and object (volume ${loss.name}${size})`;
    case 'homes':
      return `every JupyterHub user's home volume (${loss.name}${size} each)`;
    default:
      return `volume ${loss.name}${loss.component === undefined ? '' : ` (${loss.component}${size})`}`;
  }
}

/**
 * The inventory file's shapes over time and the steps between them. Each step
 * takes the whole document of version n and returns version n + 1; a step must
 * be idempotent on records already in the newer shape, because a crash between
 * writing `environments` and `schemaVersion` leaves a half-labelled file.
 */
import { INVENTORY_SCHEMA_VERSION } from './record';

export interface InventoryDocument {
  schemaVersion: number;
  environments: unknown[];
}

type Migration = (environments: unknown[]) => unknown[];

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * v0 (the preview's first file, no `schemaVersion` key): records held
 * `template: "name@version"`, a flat kube `context`/`namespace`/`server`, the
 * status as a bare phase string with `statusMessage`, and no objects, links or
 * operation history.
 */
function v0ToV1(environments: unknown[]): unknown[] {
  return environments.map((entry) => {
    if (!isObject(entry) || isObject(entry.target)) return entry;
    const { context, namespace, server, kubeconfig, statusMessage, template, status, ...rest } = entry;
    const [templateName, templateVersion] = typeof template === 'string' ? splitTemplate(template) : ['', ''];
    const since =
      typeof entry.updatedAt === 'string'
        ? entry.updatedAt
        : typeof entry.createdAt === 'string'
          ? entry.createdAt
          : new Date(0).toISOString();
    const target: Loose = { kind: 'kube', context, server: server ?? '', namespace };
    if (typeof kubeconfig === 'string') target.kubeconfig = kubeconfig;
    const migrated: Loose = {
      ...rest,
      template: isObject(template) ? template : { name: templateName, version: templateVersion },
      values: rest.values ?? {},
      target,
      updatedAt: since,
      status: isObject(status)
        ? status
        : {
            phase: typeof status === 'string' ? status : 'Unknown',
            since,
            ...(typeof statusMessage === 'string' ? { message: statusMessage } : {}),
          },
      objects: rest.objects ?? [],
      links: rest.links ?? [],
      operations: rest.operations ?? [],
    };
    return migrated;
  });
}

function splitTemplate(spec: string): [string, string] {
  const at = spec.lastIndexOf('@');
  return at <= 0 ? [spec, ''] : [spec.slice(0, at), spec.slice(at + 1)];
}

/** MIGRATIONS[n] turns version n into n + 1. */
const MIGRATIONS: Record<number, Migration> = { 0: v0ToV1 };

/** The document brought to INVENTORY_SCHEMA_VERSION; `from` is what the file said. */
export function migrateDocument(document: InventoryDocument): { document: InventoryDocument; from: number } {
  const from = document.schemaVersion;
  let environments = document.environments;
  for (let version = from; version < INVENTORY_SCHEMA_VERSION; version += 1) {
    const step = MIGRATIONS[version];
    if (step === undefined) throw new Error(`no migration from inventory schema version ${version}`);
    environments = step(environments);
  }
  return { document: { schemaVersion: INVENTORY_SCHEMA_VERSION, environments }, from };
}

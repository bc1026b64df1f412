/**
 * Where IM keeps each credential's value: IM's connector takes secrets only as
 * literal environment variables and file contents, so a credential's secret
 * key sits in one container node's `environment` or one file artifact of the
 * TOSCA document IM stores. Recorded at deploy (names only, never values) so
 * the app can read the value from IM's copy of the document when the owner
 * asks (main/app/credentials-im.ts), and keep none itself.
 */
import type { Plan, PlanComponent } from '../types';
import type { ToscaLocator } from '../../inventory/record';

type KeyRef = { name: string; key: string };

export function toscaLocators(plan: Plan): Record<string, { secret: ToscaLocator; username?: ToscaLocator }> {
  const out: Record<string, { secret: ToscaLocator; username?: ToscaLocator }> = {};
  for (const credential of plan.credentials) {
    const secret = locate(plan, credential.component, credential.secret);
    if (secret === undefined) continue;
    const username = typeof credential.username === 'object' ? locate(plan, credential.component, credential.username.secret) : undefined;
    out[credential.id] = { secret, ...(username === undefined ? {} : { username }) };
  }
  return out;
}

/** The credential's own component first, then any other that holds the key. */
function locate(plan: Plan, component: string, ref: KeyRef): ToscaLocator | undefined {
  const own = plan.components.filter((c) => c.name === component);
  const others = plan.components.filter((c) => c.name !== component);
  for (const candidate of [...own, ...others]) {
    const node = firstNode(candidate);
    if (node === undefined) continue;
    const variable = candidate.env?.find((entry) => same(entry.secret, ref))?.name;
    if (variable !== undefined) return { node, variable };
    const file = candidate.files?.find((entry) => same(entry.secret, ref))?.path;
    if (file !== undefined) return { node, file };
  }
  return undefined;
}

// As im-layout.ts names a component's container nodes: its own name, or <name>-0 … for replicas.
function firstNode(component: PlanComponent): string | undefined {
  const replicas = component.replicas ?? 1;
  if (replicas === 0) return undefined;
  return replicas === 1 ? component.name : `${component.name}-0`;
}

function same(a: KeyRef | undefined, b: KeyRef): boolean {
  return a !== undefined && a.name === b.name && a.key === b.key;
}

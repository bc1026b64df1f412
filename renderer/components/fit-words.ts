/**
 * The fit's parts in the user's language: what runs out (`cpu`, `memory`,
 * `pods`, `placement` from main/capacity/fit-summary.ts) and amounts as people
 * read them (vCPU, GiB).
 */
import type { TFunction } from 'i18next';

const GiB = 2 ** 30;

export const vcpu = (milli: number): string => `${Math.round(milli / 100) / 10}`;
export const gib = (bytes: number): string => `${Math.round((bytes / GiB) * 10) / 10}`;

/** "CPU or memory" */
function resourceWords(t: TFunction, names: readonly string[]): string {
  return names.map((name) => t(`capacity.resource.${name}`, { defaultValue: name })).join(t('capacity.or'));
}

/** What runs out, as a clause: "not enough CPU on any node", "no node takes more pods"… */
export function whyPending(t: TFunction, short: readonly string[]): string {
  if (short.length === 1 && short[0] === 'placement') return t('capacity.why.placement');
  const resources = short.filter((name) => name !== 'pods' && name !== 'placement');
  const parts: string[] = [];
  if (resources.length > 0) parts.push(t('capacity.why.resources', { resources: resourceWords(t, resources) }));
  if (short.includes('pods')) parts.push(t('capacity.why.pods'));
  return parts.join('; ');
}

/** "CPU runs out", "no node accepts the pods"… for a suggestion's limit. */
export function runsOut(t: TFunction, names: readonly string[]): string {
  if (names.length === 1 && names[0] === 'placement') return t('capacity.why.placement');
  return t('capacity.runsOut', {
    what: resourceWords(
      t,
      names.filter((name) => name !== 'placement'),
    ),
    count: names.length,
  });
}

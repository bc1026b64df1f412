/**
 * Amounts back in Kubernetes' own notation for people: 1.5 / 250m CPU,
 * 16Gi / 1.5Gi / 200Mi memory, plain counts for pods and devices.
 */
import { CPU, EPHEMERAL_STORAGE, MEMORY, type ResourceList } from './resources';

const BINARY_UNITS = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi'];

function trimmed(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export function formatCpu(milli: number): string {
  if (milli % 1000 === 0) return String(milli / 1000);
  if (Math.abs(milli) < 1000) return `${milli}m`;
  return trimmed(milli / 1000);
}

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = '';
  for (const next of BINARY_UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${trimmed(value)}${unit}`;
}

function isBytes(resource: string): boolean {
  return resource === MEMORY || resource === EPHEMERAL_STORAGE || resource.startsWith('hugepages-');
}

export function formatAmount(resource: string, amount: number): string {
  if (resource === CPU) return formatCpu(amount);
  if (isBytes(resource)) return formatBytes(amount);
  return String(amount);
}

/** "cpu 2, memory 6Gi" for the named resources (all when omitted). */
export function formatResources(list: Readonly<ResourceList>, names: readonly string[] = Object.keys(list)): string {
  return names.map((name) => `${name} ${formatAmount(name, list[name] ?? 0)}`).join(', ');
}

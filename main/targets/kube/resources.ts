/**
 * Where an object lives in the REST API: its resource name and whether it is
 * namespaced. The kinds a plan holds are known without asking (kube/resource-paths.ts);
 * any other kind is looked up once in the server's discovery document and remembered.
 */
import { AfpError } from '../../errors';
import { groupKind } from '../../render/models';
import type { KubeClient } from '../../kube/client';
import { KNOWN_RESOURCES as KNOWN, type ResourceInfo } from '../../kube/resource-paths';

export { resourcePath, type ResourceInfo } from '../../kube/resource-paths';

interface DiscoveredList {
  resources?: { name?: string; kind?: string; namespaced?: boolean }[];
}

export class Resources {
  private readonly byKey = new Map<string, ResourceInfo>(KNOWN.map((info) => [`${info.apiVersion}/${info.kind}`, info]));
  private readonly byGroupKind = new Map<string, ResourceInfo>(KNOWN.map((info) => [groupKind(info.apiVersion, info.kind), info]));

  constructor(private readonly client: KubeClient) {}

  async lookup(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo> {
    const known = this.byKey.get(`${apiVersion}/${kind}`);
    if (known !== undefined) return known;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const list = await this.client.get<DiscoveredList>(base, { signal });
    const found = (list.resources ?? []).find((r) => r.kind === kind && r.name !== undefined && !r.name.includes('/'));
    if (found?.name === undefined)
      throw new AfpError('not_found', `The cluster does not serve ${kind} in ${apiVersion}.`, { field: 'apiVersion' });
    const info: ResourceInfo = { apiVersion, kind, resource: found.name, namespaced: found.namespaced === true };
    this.byKey.set(`${apiVersion}/${kind}`, info);
    this.byGroupKind.set(groupKind(apiVersion, kind), info);
    return info;
  }

  /** For an ApplySet's "Kind.group": the group's preferred version when the kind is not known here. */
  async lookupGroupKind(member: string, signal?: AbortSignal): Promise<ResourceInfo> {
    const known = this.byGroupKind.get(member);
    if (known !== undefined) return known;
    const dot = member.indexOf('.');
    if (dot < 0) return this.lookup('v1', member, signal);
    const group = member.slice(dot + 1);
    const answer = await this.client.get<{ preferredVersion?: { groupVersion?: string } }>(`/apis/${group}`, { signal });
    const version = answer.preferredVersion?.groupVersion;
    if (version === undefined) throw new AfpError('not_found', `The cluster does not serve the API group ${group}.`);
    return this.lookup(version, member.slice(0, dot), signal);
  }
}

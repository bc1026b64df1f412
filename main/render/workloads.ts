/**
 * A component's workload (Deployment or StatefulSet) and its storage: one
 * PVC per volume for a Deployment, volumeClaimTemplates for a StatefulSet.
 */
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { quantityText } from '../catalogue/quantity';
import type { Component, ComponentVolume } from '../catalogue/schema/components';
import type { RenderedSections } from '../catalogue/schema/template';
import { CONFIG_HASH_ANNOTATION, selectorLabels } from './identity';
import { podSpec } from './pod';
import type { KubeObject, PlanEnvironment } from './types';

export interface WorkloadParts {
  workload: KubeObject;
  claims: KubeObject[];
  pod: IPodSpec;
  replicas: number;
}

export const claimName = (component: string, volume: string): string => `${component}-${volume}`;

export function workload(
  name: string,
  component: Component,
  sections: RenderedSections,
  environment: PlanEnvironment,
  labels: (component?: string) => Record<string, string>,
  configHash: string,
): WorkloadParts {
  const stateful = component.kind === 'StatefulSet';
  const claims: KubeObject[] = [];
  const pod = podSpec(name, component, sections, (volume) =>
    stateful ? undefined : { name: volume, persistentVolumeClaim: { claimName: claimName(name, volume) } },
  );
  const selector = selectorLabels(environment, name);
  const replicas = component.replicas ?? 1;
  const template = {
    metadata: {
      labels: { ...labels(name), ...selector },
      annotations: { [CONFIG_HASH_ANNOTATION]: configHash },
    },
    spec: pod,
  };
  const volumes = component.volumes ?? [];
  if (!stateful) {
    for (const volume of volumes) {
      claims.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claimName(name, volume.name), namespace: environment.namespace, labels: labels(name) },
        spec: claimSpec(volume),
      });
    }
  }
  const metadata = { name, namespace: environment.namespace, labels: labels(name) };
  const object: KubeObject = stateful
    ? {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata,
        spec: {
          serviceName: component.ports?.find((port) => port.expose !== 'none')?.service ?? name,
          replicas,
          selector: { matchLabels: selector },
          podManagementPolicy: 'Parallel',
          template,
          ...(volumes.length === 0
            ? {}
            : {
                volumeClaimTemplates: volumes.map((volume) => ({
                  metadata: { name: volume.name, labels: labels(name) },
                  spec: claimSpec(volume),
                })),
              }),
        },
      }
    : {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas,
          selector: { matchLabels: selector },
          strategy: { type: component.strategy ?? 'RollingUpdate' },
          template,
        },
      };
  return { workload: object, claims, pod, replicas };
}

function claimSpec(volume: ComponentVolume): Record<string, unknown> {
  return {
    accessModes: [volume.accessMode ?? 'ReadWriteOnce'],
    resources: { requests: { storage: quantityText(volume.size) } },
    ...(volume.storageClass === undefined ? {} : { storageClassName: volume.storageClass }),
  };
}

/**
 * One component → its pod: the container (image, command, env, ports,
 * resources per replica, mounts, probes, security) and the pod's volumes.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { quantityText } from '../catalogue/quantity';
import type { Component, ComponentEnv, ComponentProbe, ResourceList } from '../catalogue/schema/components';
import type { RenderedSections } from '../catalogue/schema/template';
import { filesConfigMapName, fileKeys } from './files';

export const FILES_VOLUME = 'afp-files';
/** The user and group a container runs as when the template names none (explicit, never the image's USER). */
export const DEFAULT_ID = 1000;
export const secretVolume = (secret: string): string => `afp-secret-${secret}`;

/** The address of a component's port inside the namespace: service:port, with scheme and path when asked. */
export function componentAddress(sections: RenderedSections, ref: NonNullable<ComponentEnv['component']>): string {
  const port = sections.components[ref.name]?.ports?.find((candidate) => candidate.name === ref.port);
  const host = port?.service ?? ref.name;
  const number = port?.servicePort ?? port?.port ?? 0;
  return `${ref.scheme === undefined ? '' : `${ref.scheme}://`}${host}:${number}${ref.path ?? ''}`;
}

export function podSpec(
  name: string,
  component: Component,
  sections: RenderedSections,
  claim: (volume: string) => IVolume | undefined,
): IPodSpec {
  const mounts: IVolumeMount[] = [];
  const volumes: IVolume[] = [];
  for (const volume of component.volumes ?? []) {
    mounts.push({ name: volume.name, mountPath: volume.mountPath, ...(volume.subPath === undefined ? {} : { subPath: volume.subPath }) });
    const pvc = claim(volume.name);
    if (pvc !== undefined) volumes.push(pvc);
  }
  const files = component.files ?? [];
  const keys = fileKeys(files);
  const inline = files.map((file, index) => ({ file, key: keys[index] ?? '' })).filter(({ file }) => file.content !== undefined);
  if (inline.length > 0) {
    volumes.push({
      name: FILES_VOLUME,
      configMap: {
        name: filesConfigMapName(name),
        items: inline.map(({ file, key }) => ({ key, path: key, ...(file.mode === undefined ? {} : { mode: file.mode }) })),
      },
    });
    for (const { file, key } of inline) mounts.push({ name: FILES_VOLUME, mountPath: file.path, subPath: key, readOnly: true });
  }
  const fromSecrets = new Map<string, { key: string; mode?: number }[]>();
  for (const file of files) {
    if (file.secret === undefined) continue;
    const items = fromSecrets.get(file.secret.name) ?? [];
    items.push({ key: file.secret.key, ...(file.mode === undefined ? {} : { mode: file.mode }) });
    fromSecrets.set(file.secret.name, items);
    mounts.push({ name: secretVolume(file.secret.name), mountPath: file.path, subPath: file.secret.key, readOnly: true });
  }
  for (const [secret, items] of fromSecrets) {
    const unique = [...new Map(items.map((item) => [item.key, item])).values()];
    volumes.push({
      name: secretVolume(secret),
      secret: {
        secretName: secret,
        items: unique.map((item) => ({ key: item.key, path: item.key, ...(item.mode === undefined ? {} : { mode: item.mode }) })),
      },
    });
  }

  const security = component.securityContext;
  const readOnlyRoot = security?.readOnlyRootFilesystem ?? false;
  const scratch = [...(component.scratch ?? [])];
  // A read-only root still needs somewhere to write temporary files.
  if (readOnlyRoot && !scratch.includes('/tmp') && !mounts.some((mount) => mount.mountPath === '/tmp')) scratch.push('/tmp');
  scratch.forEach((mountPath, index) => {
    volumes.push({ name: `afp-scratch-${index}`, emptyDir: {} });
    mounts.push({ name: `afp-scratch-${index}`, mountPath });
  });
  const container: IContainer = {
    name,
    image: component.image,
    ...(component.imagePullPolicy === undefined ? {} : { imagePullPolicy: component.imagePullPolicy }),
    ...(component.command === undefined ? {} : { command: component.command }),
    ...(component.args === undefined ? {} : { args: component.args }),
    ...(component.workingDir === undefined ? {} : { workingDir: component.workingDir }),
    ...(component.env === undefined || component.env.length === 0
      ? {}
      : { env: component.env.map((variable) => envVar(variable, sections)) }),
    ...(component.ports === undefined || component.ports.length === 0
      ? {}
      : { ports: component.ports.map((port) => ({ name: port.name, containerPort: port.port, protocol: port.protocol ?? 'TCP' })) }),
    resources: {
      ...(component.resources?.requests === undefined ? {} : { requests: resourceList(component.resources.requests) }),
      ...(component.resources?.limits === undefined ? {} : { limits: resourceList(component.resources.limits) }),
    },
    ...(mounts.length === 0 ? {} : { volumeMounts: mounts }),
    ...(component.readiness === undefined ? {} : { readinessProbe: probe(component.readiness) }),
    ...(component.liveness === undefined ? {} : { livenessProbe: probe(component.liveness) }),
    // Pod Security "restricted", whatever the image says: no root, no capabilities, no escalation.
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: readOnlyRoot,
    },
  };
  return {
    containers: [container],
    ...(volumes.length === 0 ? {} : { volumes }),
    securityContext: {
      runAsUser: security?.runAsUser ?? DEFAULT_ID,
      runAsGroup: security?.runAsGroup ?? DEFAULT_ID,
      fsGroup: security?.fsGroup ?? DEFAULT_ID,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    // Only a pod that names a ServiceAccount gets an API token; others have no business with the API.
    ...(component.serviceAccount === undefined
      ? { automountServiceAccountToken: false }
      : { serviceAccountName: component.serviceAccount, automountServiceAccountToken: true }),
    // Addresses are given explicitly; Docker-link variables for every Service only add noise.
    enableServiceLinks: false,
  };
}

function envVar(variable: ComponentEnv, sections: RenderedSections): IEnvVar {
  if (variable.secret !== undefined)
    return { name: variable.name, valueFrom: { secretKeyRef: { name: variable.secret.name, key: variable.secret.key } } };
  if (variable.field !== undefined) return { name: variable.name, valueFrom: { fieldRef: { fieldPath: variable.field } } };
  if (variable.component !== undefined) return { name: variable.name, value: componentAddress(sections, variable.component) };
  return { name: variable.name, value: String(variable.value ?? '') };
}

export function resourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [resource, amount] of Object.entries(list)) if (amount !== undefined) out[resource] = quantityText(amount);
  return out;
}

function probe(spec: ComponentProbe): IProbe {
  const timing = {
    ...(spec.initialDelaySeconds === undefined ? {} : { initialDelaySeconds: spec.initialDelaySeconds }),
    ...(spec.periodSeconds === undefined ? {} : { periodSeconds: spec.periodSeconds }),
    ...(spec.timeoutSeconds === undefined ? {} : { timeoutSeconds: spec.timeoutSeconds }),
    ...(spec.failureThreshold === undefined ? {} : { failureThreshold: spec.failureThreshold }),
  };
  if (spec.http !== undefined)
    return { httpGet: { path: spec.http.path, port: spec.http.port, scheme: spec.http.scheme ?? 'HTTP' }, ...timing };
  if (spec.tcp !== undefined) return { tcpSocket: { port: spec.tcp.port }, ...timing };
  return { exec: { command: spec.exec?.command ?? [] }, ...timing };
}

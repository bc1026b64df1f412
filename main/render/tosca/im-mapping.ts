/**
 * The Plan as IM's Kubernetes connector (IM 2.0, IM/connectors/Kubernetes.py
 * and IM/tosca/Tosca.py) can build it: one Deployment + Service per TOSCA
 * container node, requests = limits, literal environment variables, one
 * ConfigMap (or Secret) per file mounted by subPath, one PVC per volume, an
 * Ingress for the first published port. Every difference is an item of the
 * capability check; what cannot be built is refused with its reason.
 */
import { quantitySize } from '../../catalogue/quantity';
import type { Plan } from '../types';
import { componentLayouts, publishedEndpointOrder, toscaPorts } from './im-layout';
import { containerEnvironment, containerFiles } from './im-values';
import type { CapabilityItem, ImContainer, ImMapping } from './types';

// IM appends "-" and 8 characters of its own id to a node's name; Kubernetes names stop at 63.
const MAX_NODE_NAME = 54;

export function mapForIm(plan: Plan): ImMapping {
  const items: CapabilityItem[] = [];
  const mapped = (object: string, reason: string): void => void items.push({ object, severity: 'mapped', reason });
  const refused = (object: string, reason: string): void => void items.push({ object, severity: 'refused', reason });

  for (const group of plan.kubeOnly) {
    for (const object of group.objects)
      refused(`${object.kind} ${object.metadata.name}`, `${group.purpose}, which IM's Kubernetes connector cannot create`);
  }
  mapped(
    `Namespace ${plan.environment.namespace}`,
    "IM creates the namespace and labels what it creates its own way; the app's labels and ApplySet membership are not set, so the environment is followed through IM",
  );

  const kubeOnly = new Set(plan.kubeOnly.flatMap((group) => group.objects.map((object) => `${object.kind}/${object.metadata.name}`)));
  for (const object of plan.objects) {
    if (object.kind !== 'Secret' || object.metadata.name === plan.applyset.parent.name || kubeOnly.has(`Secret/${object.metadata.name}`))
      continue;
    mapped(
      `Secret ${object.metadata.name}`,
      "not created: IM's connector creates no Secret of its own; its generated values are written where the containers use them",
    );
  }

  // Isolation the kube target renders (main/render/isolation.ts); IM's connector has no such objects.
  const isolation: Record<string, string> = {
    NetworkPolicy:
      "not created: IM's connector creates no NetworkPolicy, so only the policies of the namespace IM uses (if the site set any) isolate this environment",
    ResourceQuota: "not created: IM's connector creates no ResourceQuota; requests equal limits on every container it makes",
    LimitRange: "not created: IM's connector creates no LimitRange",
  };
  for (const object of plan.objects) {
    const reason = isolation[object.kind];
    if (reason !== undefined && !kubeOnly.has(`${object.kind}/${object.metadata.name}`))
      mapped(`${object.kind} ${object.metadata.name}`, reason);
  }
  mapped(
    'Pod Security',
    "IM's connector sets no security context and no Pod Security label: containers run as their image's user with the runtime's default capabilities, not as the kube target runs them (non-root 1000, no capabilities, RuntimeDefault seccomp, read-only root)",
  );

  const layouts = componentLayouts(plan);
  const containers: ImContainer[] = [];
  for (const layout of layouts.values()) {
    const { component } = layout;
    const object = `${component.kind ?? 'Deployment'} ${component.name}`;
    const replicas = component.replicas ?? 1;
    if (replicas === 0) mapped(object, '0 replicas: no container is created');
    if (replicas > 1)
      mapped(
        object,
        `${replicas} replicas become ${replicas} separate containers (${layout.nodes[0]} … ${layout.nodes[layout.nodes.length - 1]}): IM's connector runs one replica per container`,
      );
    if (layout.nodes.some((node) => node.length > MAX_NODE_NAME))
      refused(object, `the name is too long for IM, which appends its own id (at most ${MAX_NODE_NAME} characters)`);
    if (component.kind === 'StatefulSet')
      mapped(object, "becomes a Deployment with its own volumes: IM's connector creates Deployments only");
    if (component.serviceAccount !== undefined)
      refused(object, `runs as ServiceAccount "${component.serviceAccount}", which IM's Kubernetes connector cannot set`);
    if (component.workingDir !== undefined)
      refused(object, `needs working directory ${component.workingDir}, which IM's Kubernetes connector cannot set`);
    if (component.args !== undefined && component.command === undefined) {
      refused(object, "gives arguments to the image's own entrypoint; IM's connector can only set a full command");
    }
    if (component.readiness !== undefined || component.liveness !== undefined) {
      mapped(object, "IM's connector sets no readiness or liveness probe: the container counts as up as soon as it runs");
    }
    const security = component.securityContext;
    if (security !== undefined && Object.keys(security).length > 0) {
      mapped(object, `IM's connector runs the container as the image's own user: ${Object.keys(security).join(', ')} not applied`);
    }
    if (component.strategy === 'Recreate') mapped(object, "IM's connector uses the default rolling update, not Recreate");
    if (component.imagePullPolicy !== undefined && component.imagePullPolicy !== 'Always')
      mapped(object, `IM's connector always pulls the image (imagePullPolicy ${component.imagePullPolicy} not applied)`);

    const limits = component.resources?.limits ?? {};
    const requests = component.resources?.requests ?? {};
    const cpu = limits.cpu ?? requests.cpu;
    const memory = limits.memory ?? requests.memory;
    if (cpu === undefined || memory === undefined) {
      refused(object, "IM's Kubernetes connector needs a CPU and a memory size for every container; this one sets none");
    } else if (String(requests.cpu ?? cpu) !== String(cpu) || String(requests.memory ?? memory) !== String(memory)) {
      mapped(object, `IM's connector sets requests equal to limits: each replica requests cpu ${String(cpu)} and memory ${String(memory)}`);
    }
    if (limits['ephemeral-storage'] !== undefined || requests['ephemeral-storage'] !== undefined)
      mapped(object, "IM's connector sets no ephemeral-storage");

    const services = new Set(
      (component.ports ?? []).filter((port) => port.expose !== 'none').map((port) => port.service ?? component.name),
    );
    if (services.size > 1 || (services.size === 1 && !services.has(component.name))) {
      mapped(
        object,
        `Service${services.size > 1 ? 's' : ''} ${[...services].join(', ')} become${services.size > 1 ? '' : 's'} one Service named after the container (IM makes one per container)`,
      );
    }
    for (const port of layout.ports) {
      if (port.servicePort !== undefined && port.servicePort !== port.port)
        mapped(
          object,
          `port ${port.name}: the Service listens on ${port.port}, not ${port.servicePort} (IM's Service uses the container port)`,
        );
    }
    if (layout.published) {
      const inside = layout.ports
        .filter((port) => port.expose === undefined || port.expose === 'cluster')
        .map((port) => `${port.name} (${port.port})`);
      if (inside.length > 0) {
        mapped(
          object,
          `IM publishes every port of a container once one is published: ${inside.join(', ')} ${inside.length === 1 ? 'is' : 'are'} reachable from outside the cluster too, as NodePort${inside.length === 1 ? '' : 's'}`,
        );
      }
      if (layout.ingressPorts.length > 1 && layout.endpoint !== undefined) {
        refused(
          object,
          `exposes ${layout.ingressPorts.length} ports by ingress; IM's connector routes an Ingress to the first published port only`,
        );
      } else if (layout.ingressPorts.length > 0 && layout.endpoint === undefined) {
        mapped(
          object,
          `port ${layout.ingressPorts.map((port) => port.name).join(', ')} is published as a NodePort: no ingress domain was given`,
        );
      }
    }
    for (const volume of component.volumes ?? []) {
      if (volume.storageClass !== undefined)
        mapped(object, `volume ${volume.name}: storage class ${volume.storageClass} is not set; IM's connector uses the cluster's default`);
      if (volume.accessMode !== undefined && volume.accessMode !== 'ReadWriteOnce')
        refused(object, `volume ${volume.name} needs ${volume.accessMode}; IM's connector creates ReadWriteOnce volumes only`);
      if (volume.subPath !== undefined) refused(object, `volume ${volume.name} is mounted by subPath, which IM's connector cannot do`);
    }

    const environment = containerEnvironment(plan, component, layouts, object, mapped, refused);
    const files = containerFiles(plan, component, object, mapped);
    if ((component.dependsOn ?? []).length > 0) {
      // IM/tosca/Tosca.py _get_node_artifacts merges the artifacts of every node a node requires into its own, the
      // required node's winning: a dependency would give this container the other's image and mount its files.
      mapped(
        object,
        `starts without waiting for ${(component.dependsOn ?? []).join(', ')}: IM would give a container the image and files of a container it depends on, so no dependency is written (it retries until they answer)`,
      );
    }
    layout.nodes.forEach((node) => {
      const ports = toscaPorts(layout);
      containers.push({
        node,
        component: component.name,
        image: component.image,
        ...(component.command === undefined ? {} : { command: [...component.command, ...(component.args ?? [])] }),
        environment,
        cpus: cpu === undefined ? 0 : quantitySize('cpu', cpu) / 1000,
        memoryBytes: memory === undefined ? 0 : quantitySize('memory', memory),
        ...(ports.length === 0 ? {} : layout.published ? { publish: ports } : { expose: ports }),
        volumes: (component.volumes ?? []).map((volume) => ({
          node: `${node}-${volume.name}`,
          sizeBytes: quantitySize('storage', volume.size),
          mountPath: volume.mountPath,
        })),
        files,
      });
    });
  }

  const outputs: ImMapping['outputs'] = [];
  for (const link of plan.links) {
    const layout = layouts.get(link.component);
    const portIndex = layout?.ports.findIndex((port) => port.name === link.portName) ?? -1;
    const node = layout?.nodes[0];
    if (layout === undefined || node === undefined || portIndex < 0) continue;
    if (!layout.published) {
      mapped(
        `link ${link.id}`,
        'reachable only inside the cluster: IM publishes no port of this container, and IM users have no port-forward',
      );
      outputs.push({ id: link.id, node, index: portIndex });
      continue;
    }
    const index = layout.endpoint !== undefined && portIndex === 0 ? 0 : publishedEndpointOrder(toscaPorts(layout)).indexOf(portIndex);
    if (layout.endpoint !== undefined && index === 0 && portIndex !== 0) {
      mapped(`link ${link.id}`, "has no address from IM: IM lists the Ingress's host in the place of this port's node port");
      continue;
    }
    outputs.push({ id: link.id, node, index });
  }
  return { containers, outputs, check: { ok: !items.some((item) => item.severity === 'refused'), items } };
}

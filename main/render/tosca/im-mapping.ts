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
import { say, type Message } from '../../messages/message';

// IM appends "-" and 8 characters of its own id to a node's name; Kubernetes names stop at 63.
const MAX_NODE_NAME = 54;

export function mapForIm(plan: Plan): ImMapping {
  const items: CapabilityItem[] = [];
  const item = (severity: CapabilityItem['severity'], object: string, reason: Message): CapabilityItem => ({
    object,
    severity,
    reason: reason.text,
    id: reason.id,
    ...(reason.params === undefined ? {} : { params: reason.params }),
  });
  const mapped = (object: string, reason: Message): void => void items.push(item('mapped', object, reason));
  const refused = (object: string, reason: Message): void => void items.push(item('refused', object, reason));

  for (const group of plan.kubeOnly) {
    for (const object of group.objects) refused(`${object.kind} ${object.metadata.name}`, say('im.kubeOnly', { purpose: group.purpose }));
  }
  mapped(`Namespace ${plan.environment.namespace}`, say('im.namespace'));

  const kubeOnly = new Set(plan.kubeOnly.flatMap((group) => group.objects.map((object) => `${object.kind}/${object.metadata.name}`)));
  for (const object of plan.objects) {
    if (object.kind !== 'Secret' || object.metadata.name === plan.applyset.parent.name || kubeOnly.has(`Secret/${object.metadata.name}`))
      continue;
    mapped(`Secret ${object.metadata.name}`, say('im.secretNotCreated'));
  }

  // Isolation the kube target renders (main/render/isolation.ts); IM's connector has no such objects.
  const isolation: Record<string, Message> = {
    NetworkPolicy: say('im.networkPolicy'),
    ResourceQuota: say('im.resourceQuota'),
    LimitRange: say('im.limitRange'),
  };
  for (const object of plan.objects) {
    const reason = isolation[object.kind];
    if (reason !== undefined && !kubeOnly.has(`${object.kind}/${object.metadata.name}`))
      mapped(`${object.kind} ${object.metadata.name}`, reason);
  }
  mapped('Pod Security', say('im.podSecurity'));

  const layouts = componentLayouts(plan);
  const containers: ImContainer[] = [];
  for (const layout of layouts.values()) {
    const { component } = layout;
    const object = `${component.kind ?? 'Deployment'} ${component.name}`;
    const replicas = component.replicas ?? 1;
    if (replicas === 0) mapped(object, say('im.zeroReplicas'));
    if (replicas > 1)
      mapped(
        object,
        say('im.replicas', { count: replicas, first: layout.nodes[0] ?? '', last: layout.nodes[layout.nodes.length - 1] ?? '' }),
      );
    if (layout.nodes.some((node) => node.length > MAX_NODE_NAME)) refused(object, say('im.nameTooLong', { max: MAX_NODE_NAME }));
    if (component.kind === 'StatefulSet') mapped(object, say('im.statefulSet'));
    if (component.serviceAccount !== undefined) refused(object, say('im.serviceAccount', { account: component.serviceAccount }));
    if (component.workingDir !== undefined) refused(object, say('im.workingDir', { dir: component.workingDir }));
    if (component.args !== undefined && component.command === undefined) {
      refused(object, say('im.argsOnly'));
    }
    if (component.readiness !== undefined || component.liveness !== undefined) {
      mapped(object, say('im.probes'));
    }
    const security = component.securityContext;
    if (security !== undefined && Object.keys(security).length > 0) {
      mapped(object, say('im.securityContext', { fields: Object.keys(security).join(', ') }));
    }
    if (component.strategy === 'Recreate') mapped(object, say('im.recreate'));
    if (component.imagePullPolicy !== undefined && component.imagePullPolicy !== 'Always')
      mapped(object, say('im.pullPolicy', { policy: component.imagePullPolicy }));

    const limits = component.resources?.limits ?? {};
    const requests = component.resources?.requests ?? {};
    const cpu = limits.cpu ?? requests.cpu;
    const memory = limits.memory ?? requests.memory;
    if (cpu === undefined || memory === undefined) {
      refused(object, say('im.noResources'));
    } else if (String(requests.cpu ?? cpu) !== String(cpu) || String(requests.memory ?? memory) !== String(memory)) {
      mapped(object, say('im.requestsEqualLimits', { cpu: String(cpu), memory: String(memory) }));
    }
    if (limits['ephemeral-storage'] !== undefined || requests['ephemeral-storage'] !== undefined)
      mapped(object, say('im.ephemeralStorage'));

    const services = new Set(
      (component.ports ?? []).filter((port) => port.expose !== 'none').map((port) => port.service ?? component.name),
    );
    if (services.size > 1 || (services.size === 1 && !services.has(component.name))) {
      mapped(object, say('im.servicesMerged', { count: services.size, services: [...services].join(', ') }));
    }
    for (const port of layout.ports) {
      if (port.servicePort !== undefined && port.servicePort !== port.port)
        mapped(object, say('im.servicePort', { port: port.name, listens: port.port, asked: port.servicePort }));
    }
    if (layout.published) {
      const inside = layout.ports
        .filter((port) => port.expose === undefined || port.expose === 'cluster')
        .map((port) => `${port.name} (${port.port})`);
      if (inside.length > 0) {
        mapped(object, say('im.publishedAll', { count: inside.length, ports: inside.join(', ') }));
      }
      if (layout.ingressPorts.length > 1 && layout.endpoint !== undefined) {
        refused(object, say('im.ingressPorts', { count: layout.ingressPorts.length }));
      } else if (layout.ingressPorts.length > 0 && layout.endpoint === undefined) {
        mapped(object, say('im.noIngressDomain', { ports: layout.ingressPorts.map((port) => port.name).join(', ') }));
      }
    }
    for (const volume of component.volumes ?? []) {
      if (volume.storageClass !== undefined)
        mapped(object, say('im.storageClass', { volume: volume.name, storageClass: volume.storageClass }));
      if (volume.accessMode !== undefined && volume.accessMode !== 'ReadWriteOnce')
        refused(object, say('im.accessMode', { volume: volume.name, mode: volume.accessMode }));
      if (volume.subPath !== undefined) refused(object, say('im.subPath', { volume: volume.name }));
    }

    const environment = containerEnvironment(plan, component, layouts, object, mapped, refused);
    const files = containerFiles(plan, component, object, mapped);
    if ((component.dependsOn ?? []).length > 0) {
      // IM/tosca/Tosca.py _get_node_artifacts merges the artifacts of every node a node requires into its own, the
      // required node's winning: a dependency would give this container the other's image and mount its files.
      mapped(object, say('im.dependsOn', { components: (component.dependsOn ?? []).join(', ') }));
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
      mapped(`link ${link.id}`, say('im.linkClusterOnly'));
      outputs.push({ id: link.id, node, index: portIndex });
      continue;
    }
    const index = layout.endpoint !== undefined && portIndex === 0 ? 0 : publishedEndpointOrder(toscaPorts(layout)).indexOf(portIndex);
    if (layout.endpoint !== undefined && index === 0 && portIndex !== 0) {
      mapped(`link ${link.id}`, say('im.linkNoAddress'));
      continue;
    }
    outputs.push({ id: link.id, node, index });
  }
  return { containers, outputs, check: { ok: !items.some((item) => item.severity === 'refused'), items } };
}

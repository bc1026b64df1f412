/**
 * The Plan as a TOSCA document for IM's Kubernetes connector, with the
 * capability check that says what differs from the kube target and what
 * cannot be built there. Kube-only objects are left out of the document and
 * listed as refused; a document whose check is not ok must not be deployed.
 */
import { Document, Scalar } from 'yaml';
import type { Plan } from '../types';
import { mapForIm } from './im-mapping';
import { TOSCA_TYPES } from './tosca-types';
import type { CapabilityCheck, ImContainer } from './types';

/** What IM's connector cannot create from this plan (a target's traits say whether it goes through IM). */
export function checkCapabilities(plan: Plan): CapabilityCheck {
  return mapForIm(plan).check;
}

export function renderTosca(plan: Plan): { yaml: string; check: CapabilityCheck } {
  const mapping = mapForIm(plan);
  const nodes: Record<string, unknown> = {};
  for (const container of mapping.containers) Object.assign(nodes, containerNodes(container));
  const outputs: Record<string, unknown> = {};
  for (const output of mapping.outputs) {
    outputs[`${output.id.replace(/-/g, '_')}_endpoint`] = { value: { get_attribute: [output.node, 'endpoints', output.index] } };
  }
  const document = {
    tosca_definitions_version: 'tosca_simple_yaml_1_0',
    description: `${plan.environment.template} ${plan.environment.templateVersion}: environment ${plan.environment.name} (rendered by AF Provisioner)`,
    metadata: {
      namespace: plan.environment.namespace,
      infra_name: plan.environment.name,
      template_name: plan.environment.template,
      template_version: plan.environment.templateVersion,
    },
    ...TOSCA_TYPES,
    topology_template: {
      node_templates: nodes,
      ...(Object.keys(outputs).length === 0 ? {} : { outputs }),
    },
  };
  const yaml = new Document(document, { aliasDuplicateObjects: false }).toString({ lineWidth: 0 });
  return { yaml, check: mapping.check };
}

function containerNodes(container: ImContainer): Record<string, unknown> {
  const runtime = `${container.node}_runtime`;
  const host: Record<string, unknown> = {
    // IM's types read num_cpus as a float: 1 must be written 1.0.
    num_cpus: Object.assign(new Scalar(container.cpus), { minFractionDigits: 1 }),
    mem_size: size(container.memoryBytes),
  };
  if (container.publish !== undefined) host.publish_ports = container.publish;
  if (container.expose !== undefined) host.expose_ports = container.expose;
  if (container.volumes.length > 0) host.volumes = container.volumes.map((volume) => `${volume.node}:${volume.mountPath}`);
  const artifacts: Record<string, unknown> = {
    image: { file: container.image, type: 'tosca.artifacts.Deployment.Image.Container.Docker' },
  };
  for (const file of container.files) {
    artifacts[file.artifact] = { deploy_path: file.deployPath, type: 'tosca.artifacts.File', properties: { content: file.content } };
  }
  const properties: Record<string, unknown> = {};
  if (container.command !== undefined) properties.command = container.command;
  if (Object.keys(container.environment).length > 0) properties.environment = container.environment;
  const nodes: Record<string, unknown> = {
    [container.node]: {
      type: 'tosca.nodes.Container.Application.Docker',
      ...(Object.keys(properties).length === 0 ? {} : { properties }),
      requirements: [{ host: runtime }],
      artifacts,
    },
    [runtime]: { type: 'tosca.nodes.Container.Runtime.Docker', capabilities: { host: { properties: host } } },
  };
  for (const volume of container.volumes)
    nodes[volume.node] = { type: 'tosca.nodes.BlockStorage', properties: { size: size(volume.sizeBytes) } };
  return nodes;
}

/** A TOSCA scalar-unit.size: whole GiB or MiB where exact, else bytes. */
function size(bytes: number): string {
  if (bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30} GiB`;
  if (bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  return `${bytes} B`;
}

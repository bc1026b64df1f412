/**
 * The TOSCA types IM's Kubernetes connector reads (container application,
 * Docker runtime with float CPUs and published/exposed ports, the PortSpec
 * with an ingress endpoint), declared in the document itself so IM needs no
 * network access to fetch a types file. Written from IM's Tosca.py and the
 * TOSCA Simple Profile 1.0.
 */
export const TOSCA_TYPES = {
  data_types: {
    'tosca.datatypes.indigo.network.PortSpec': {
      derived_from: 'tosca.datatypes.network.PortSpec',
      properties: {
        endpoint: { type: 'string', required: false, description: 'URL IM routes an Ingress to for this port' },
        remote_cidr: { type: 'string', required: false },
      },
    },
  },
  capability_types: {
    'tosca.capabilities.Container.Docker': {
      derived_from: 'tosca.capabilities.Container',
      properties: {
        num_cpus: { type: 'float', required: false, constraints: [{ greater_than: 0 }] },
        num_gpus: { type: 'integer', required: false },
        publish_ports: { type: 'list', required: false, entry_schema: { type: 'tosca.datatypes.indigo.network.PortSpec' } },
        expose_ports: { type: 'list', required: false, entry_schema: { type: 'tosca.datatypes.network.PortSpec' } },
        volumes: { type: 'list', required: false, entry_schema: { type: 'string' } },
      },
    },
  },
  node_types: {
    'tosca.nodes.Container.Runtime': {
      derived_from: 'tosca.nodes.Root',
      capabilities: { host: { type: 'tosca.capabilities.Container' }, scalable: { type: 'tosca.capabilities.Scalable' } },
    },
    'tosca.nodes.Container.Runtime.Docker': {
      derived_from: 'tosca.nodes.Container.Runtime',
      capabilities: {
        host: { type: 'tosca.capabilities.Container.Docker', valid_source_types: ['tosca.nodes.Container.Application.Docker'] },
      },
    },
    'tosca.nodes.Container.Application.Docker': {
      derived_from: 'tosca.nodes.Container.Application',
      attributes: { endpoints: { type: 'list', entry_schema: { type: 'string' }, description: "Addresses of the container's Service" } },
      properties: {
        environment: { type: 'map', required: false, entry_schema: { type: 'string' } },
        command: { type: 'list', required: false, entry_schema: { type: 'string' } },
      },
      requirements: [
        {
          host: {
            capability: 'tosca.capabilities.Container.Docker',
            node: 'tosca.nodes.Container.Runtime.Docker',
            relationship: 'tosca.relationships.HostedOn',
          },
        },
      ],
    },
  },
} as const;

/**
 * A component: one workload (Deployment or StatefulSet) with its ports,
 * resources per replica, volumes, files, probes and environment.
 */
import { z } from 'zod';
import { boolean, dnsLabel, ENV_NAME, integer, pinnedImage, PORT_NAME, quantity, renderedDyn, sourceDyn, type Dyn } from './common';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

const exactlyOne =
  (keys: readonly string[]) =>
  (object: Record<string, unknown>): boolean =>
    keys.filter((key) => object[key] !== undefined).length === 1;

const absolutePath = (): z.ZodString => z.string().regex(/^\//, { error: 'must be an absolute path (starting with /)' });

// Built per mode so the source format (values or expressions) and the rendered one share one definition.
function build(dyn: Dyn) {
  const secretRef = z.strictObject({
    name: dnsLabel('secret name', 40),
    key: z.string().regex(SECRET_KEY, { error: 'a secret key uses letters, digits, "-", "_" and "."' }),
  });

  const envVar = dyn(
    z
      .strictObject({
        name: z.string().regex(ENV_NAME, { error: 'an environment variable name uses letters, digits, "_", "-" and "."' }),
        value: dyn(z.union([z.string(), z.number(), z.boolean()]))
          .optional()
          .describe('A literal value (numbers and booleans become text)'),
        secret: secretRef.optional().describe('A key of a generated secret (secrets section)'),
        component: z
          .strictObject({
            name: dnsLabel('component name'),
            port: z.string().describe('Port name of that component'),
            scheme: z
              .string()
              .regex(/^[a-z][a-z0-9+.-]*$/)
              .optional()
              .describe('Makes scheme://host:port'),
            path: z.string().optional().describe('Appended after host:port'),
          })
          .optional()
          .describe('The address of another component inside the cluster'),
        field: z
          .enum(['metadata.namespace', 'metadata.name', 'status.podIP', 'spec.nodeName'])
          .optional()
          .describe('A field of the running pod'),
      })
      .refine(exactlyOne(['value', 'secret', 'component', 'field']), { error: 'give exactly one of value, secret, component or field' }),
  );

  const port = dyn(
    z.strictObject({
      name: z
        .string()
        .max(15, { error: 'a port name takes at most 15 characters' })
        .regex(PORT_NAME, { error: 'a port name uses lower-case letters, digits and "-"' }),
      port: dyn(integer().min(1).max(65535)),
      protocol: dyn(z.enum(['TCP', 'UDP'])).optional(),
      expose: dyn(z.enum(['none', 'cluster', 'nodeport', 'ingress']))
        .optional()
        .describe('none: container only; cluster (default): a Service; nodeport: a NodePort Service; ingress: a Service and an Ingress'),
      service: dnsLabel('service name').optional().describe('Name of the Service carrying this port; defaults to the component name'),
      servicePort: dyn(integer().min(1).max(65535)).optional().describe('Port the Service listens on; defaults to port'),
      nodePort: dyn(integer().min(30000).max(32767)).optional(),
      path: z.string().startsWith('/', { error: 'an ingress path starts with /' }).optional().describe('Ingress path; defaults to /'),
      ownerOnly: dyn(boolean())
        .optional()
        .describe(
          "true: no pod reaches this port, not even the environment's own (its NetworkPolicy admits none); only the owner's port-forward from the app does. Only with expose none or cluster",
        ),
    }),
  );

  const resourceList = z.strictObject({
    cpu: dyn(quantity('cpu')).optional(),
    memory: dyn(quantity('memory')).optional(),
    'ephemeral-storage': dyn(quantity('storage')).optional(),
  });
  const resources = dyn(z.strictObject({ requests: dyn(resourceList).optional(), limits: dyn(resourceList).optional() }));

  const volume = dyn(
    z.strictObject({
      name: dnsLabel('volume name', 40),
      size: dyn(quantity('storage')),
      mountPath: absolutePath(),
      subPath: z.string().optional(),
      storageClass: z.string().optional(),
      accessMode: dyn(z.enum(['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany', 'ReadOnlyMany'])).optional(),
    }),
  );

  const file = dyn(
    z
      .strictObject({
        path: absolutePath().describe('Where the file appears in the container'),
        content: z.string().optional().describe('The text of the file'),
        secret: secretRef.optional().describe('Mount a key of a generated secret as this file'),
        mode: dyn(integer().min(0).max(0o777)).optional().describe('File mode, e.g. 0o644 (decimal 420)'),
      })
      .refine(exactlyOne(['content', 'secret']), { error: 'give exactly one of content or secret' }),
  );

  const probePort = z.union([z.string(), integer()]);
  const probe = dyn(
    z
      .strictObject({
        http: z.strictObject({ path: z.string(), port: probePort, scheme: z.enum(['HTTP', 'HTTPS']).optional() }).optional(),
        tcp: z.strictObject({ port: probePort }).optional(),
        exec: z.strictObject({ command: z.array(z.string()).min(1) }).optional(),
        initialDelaySeconds: dyn(integer().min(0)).optional(),
        periodSeconds: dyn(integer().min(1)).optional(),
        timeoutSeconds: dyn(integer().min(1)).optional(),
        failureThreshold: dyn(integer().min(1)).optional(),
      })
      .refine(exactlyOne(['http', 'tcp', 'exec']), { error: 'give exactly one of http, tcp or exec' }),
  );

  // Pod Security "restricted" holds for every pod: root, escalation and added capabilities cannot be asked for.
  const securityContext = dyn(
    z.strictObject({
      runAsUser: dyn(integer().min(1, { error: 'root (0) cannot run under Pod Security "restricted"' }))
        .optional()
        .describe('Default 1000'),
      runAsGroup: dyn(integer().min(0)).optional().describe('Default 1000'),
      fsGroup: dyn(integer().min(0)).optional().describe('Group owning the volumes; default 1000'),
      runAsNonRoot: dyn(z.literal(true, { error: 'every container runs as non-root (Pod Security "restricted")' }))
        .optional()
        .describe('Always true'),
      allowPrivilegeEscalation: dyn(z.literal(false, { error: 'privilege escalation is refused (Pod Security "restricted")' }))
        .optional()
        .describe('Always false'),
      readOnlyRootFilesystem: dyn(boolean())
        .optional()
        .describe(
          'true where the software writes only to volumes, scratch paths and /tmp (an empty /tmp is mounted for it); default false',
        ),
    }),
  );

  const spawned = dyn(
    z.strictObject({
      name: dnsLabel('pod name'),
      title: z.string().optional(),
      image: dyn(pinnedImage()),
      replicas: dyn(integer().min(0)).describe('How many such pods to plan capacity for'),
      resources: resources.optional(),
      storage: dyn(quantity('storage')).optional().describe('Volume each such pod claims'),
    }),
  );

  const strings = dyn(z.array(dyn(z.string())));

  return z.strictObject({
    title: z.string().optional(),
    enabled: dyn(boolean()).optional().describe('false leaves the component out (default true)'),
    kind: dyn(z.enum(['Deployment', 'StatefulSet']))
      .optional()
      .describe('Default Deployment'),
    image: dyn(pinnedImage()),
    imagePullPolicy: dyn(z.enum(['IfNotPresent', 'Always', 'Never'])).optional(),
    command: strings.optional(),
    args: strings.optional(),
    workingDir: z.string().optional(),
    env: dyn(z.array(envVar)).optional(),
    ports: dyn(z.array(port)).optional(),
    resources: resources.optional().describe('Per replica'),
    replicas: dyn(integer().min(0)).optional().describe('Default 1'),
    strategy: dyn(z.enum(['RollingUpdate', 'Recreate'])).optional(),
    volumes: dyn(z.array(volume)).optional(),
    files: dyn(z.array(file)).optional(),
    readiness: probe.optional(),
    liveness: probe.optional(),
    dependsOn: dyn(z.array(dnsLabel('component name'))).optional(),
    securityContext: securityContext.optional(),
    scratch: dyn(z.array(absolutePath()))
      .optional()
      .describe('Paths that get an empty, writable folder (emptyDir) for the pod, e.g. a cache under a read-only root'),
    serviceAccount: dnsLabel('service account name')
      .optional()
      .describe('Runs the pods as this ServiceAccount (declare it in extraObjects)'),
    spawns: dyn(z.array(spawned))
      .optional()
      .describe('Pods this component creates at run time (e.g. KubeSpawner user servers), for capacity planning'),
  });
}

/** As written in a template file: any value may be a json-e expression. */
export const sourceComponentSchema = build(sourceDyn);
/** After expressions are evaluated with the user's values. */
export const componentSchema = build(renderedDyn);

export type Component = z.output<typeof componentSchema>;
export type ComponentPort = NonNullable<Component['ports']>[number];
export type ComponentEnv = NonNullable<Component['env']>[number];
export type ComponentVolume = NonNullable<Component['volumes']>[number];
export type ComponentFile = NonNullable<Component['files']>[number];
export type ComponentProbe = NonNullable<Component['readiness']>;
export type ResourceList = NonNullable<NonNullable<Component['resources']>['requests']>;
export type SpawnedPods = NonNullable<Component['spawns']>[number];

/**
 * renderPlan: template + values → Plan. Pure and synchronous; deterministic
 * given the same secrets (only missing secrets are drawn at random). Values
 * are checked first; every object is validated before it is returned.
 */
import { resolveValues } from '../catalogue/values';
import { isAfpError, type ApiErrorShape } from '../errors';
import { ProblemsError, problemsOf } from '../yaml/problems';
import { applysetFor, markMember, parentObject } from './applyset';
import { evaluateSections } from './expressions';
import { extraObjects } from './extra';
import { filesConfigMapName, filesData } from './files';
import { configHash } from './hash';
import { commonLabels, environmentIdentity } from './identity';
import { planLinks } from './links';
import { KIND_ORDER, KINDS, WAVE_COUNT, kindKey } from './models';
import { checkReferences } from './references';
import { resolveSecrets, secretId } from './secrets';
import { ingress, ingressRoutes, services, type IngressRoute, type LinkOptions } from './services';
import type { KubeObject, Plan, PlanComponent, PlanEnvironment, PlanPod, RenderInput } from './types';
import { validateObjects } from './validate';
import { DEFAULT_OWNER, hubLoginContext } from './hub-login';
import { DEFAULT_INGRESS_CONTROLLER, DEFAULT_QUOTA_MARGIN, networkPolicies, PSA_LABELS, quotaObjects } from './isolation';
import { workload } from './workloads';

export function renderPlan(input: RenderInput): Plan {
  const { template } = input;
  const target = input.target ?? 'kube';
  // The name's problem and every value's, at once: a form shows each at its field.
  const problems: ApiErrorShape[] = [];
  let environment: PlanEnvironment | undefined;
  try {
    environment = environmentIdentity(input.environment, { name: template.name, version: template.spec.metadata.version });
  } catch (error) {
    if (!isAfpError(error)) throw error;
    problems.push(...problemsOf(error));
  }
  const resolved = resolveValues(template.name, template.parameters, input.values ?? {}, input.valuesOrigin ?? {});
  if (!resolved.ok) problems.push(...resolved.errors);
  if (problems.length > 0 || environment === undefined || !resolved.ok) throw new ProblemsError(problems);
  const values = resolved.values;
  const linkOptions: LinkOptions = { tls: input.links?.tls ?? false };
  if (input.links?.ingressDomain !== undefined && input.links.ingressDomain !== '') linkOptions.ingressDomain = input.links.ingressDomain;
  if (input.links?.ingressClassName !== undefined) linkOptions.ingressClassName = input.links.ingressClassName;

  const sections = evaluateSections(template, {
    values,
    environment: { name: environment.name, namespace: environment.namespace, id: environment.id },
    target,
    links: { ingressDomain: linkOptions.ingressDomain ?? null, tls: linkOptions.tls },
    hubLogin: hubLoginContext(input.hubLogin),
    hubClientSecret: input.hubLogin?.clientSecret ?? '',
    owner: input.owner ?? DEFAULT_OWNER,
  });
  const order = checkReferences(template, sections);
  const secrets = resolveSecrets(sections, input.secrets);
  const base = commonLabels(environment);
  const labels = (component?: string): Record<string, string> =>
    component === undefined ? base : { ...base, 'app.kubernetes.io/component': component };

  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: environment.namespace, labels: { ...base, ...PSA_LABELS } } },
  ];
  for (const [name, spec] of Object.entries(sections.secrets ?? {})) {
    const data: Record<string, string> = {};
    for (const key of Object.keys(spec.keys)) data[key] = Buffer.from(secrets[`${name}.${key}`] ?? '', 'utf8').toString('base64');
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: environment.namespace, labels: base },
      type: 'Opaque',
      data,
    });
  }
  const kubeOnly = extraObjects(template, sections.extraObjects ?? [], environment, base);
  for (const group of kubeOnly) objects.push(...group.objects);

  const claims: KubeObject[] = [];
  const pods: PlanPod[] = [];
  const routes: IngressRoute[] = [];
  const components: PlanComponent[] = [];
  for (const name of order) {
    const component = sections.components[name];
    if (component === undefined) continue;
    components.push({ ...component, name });
    const data = filesData(component.files ?? []);
    if (Object.keys(data).length > 0) {
      objects.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: filesConfigMapName(name), namespace: environment.namespace, labels: labels(name) },
        data,
      });
    }
    const parts = workload(name, component, sections, environment, labels, configHash(name, component, secrets));
    claims.push(...parts.claims);
    objects.push(...parts.claims, ...services(name, component, environment, labels(name)), parts.workload);
    pods.push({ component: name, name, replicas: parts.replicas, spawned: false, spec: parts.pod });
    for (const spawned of component.spawns ?? []) {
      pods.push({ component: name, name: spawned.name, replicas: spawned.replicas, spawned: true, spec: spawnedPod(spawned) });
    }
    for (const route of ingressRoutes(name, component, environment, linkOptions)) {
      routes.push(route);
      objects.push(ingress(route, environment, linkOptions, labels(name)));
    }
  }

  const controller = input.isolation?.ingressController ?? DEFAULT_INGRESS_CONTROLLER;
  objects.push(...networkPolicies(components, environment, base, controller));
  objects.push(...quotaObjects(pods, components, claims, environment, base, template.spec.quota?.margin ?? DEFAULT_QUOTA_MARGIN));

  const applyset = applysetFor(environment, objects);
  const members = objects.map((object) => markMember(object, applyset));
  const all = [...members, parentObject(applyset, base)];
  validateObjects(all, template.source.file);
  const waves = intoWaves(all, order);
  return {
    environment,
    target,
    values,
    waves,
    objects: waves.flat(),
    pods,
    links: planLinks(sections, routes, linkOptions),
    credentials: (sections.credentials ?? []).map((credential, index) => ({ id: `${credential.component}-${index}`, ...credential })),
    generatedSecrets: generatedOnly(sections, secrets),
    secretValues: secrets,
    applyset,
    components,
    kubeOnly: kubeOnly.map((group) => ({ purpose: group.purpose, objects: group.objects.map((object) => markMember(object, applyset)) })),
    linkOptions,
  };
}

function spawnedPod(spawned: NonNullable<PlanComponent['spawns']>[number]): PlanPod['spec'] {
  const resources: Record<string, Record<string, string>> = {};
  for (const side of ['requests', 'limits'] as const) {
    const list = spawned.resources?.[side];
    if (list === undefined) continue;
    resources[side] = Object.fromEntries(
      Object.entries(list).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
    );
  }
  return { containers: [{ name: spawned.name, image: spawned.image, resources }] };
}

/** Objects by wave; inside a wave by kind, then by component dependency order, then by name. */
function intoWaves(objects: readonly KubeObject[], componentOrder: readonly string[]): KubeObject[][] {
  const waves: KubeObject[][] = Array.from({ length: WAVE_COUNT }, () => []);
  const rank = (object: KubeObject): [number, number, string] => {
    const component = object.metadata.labels?.['app.kubernetes.io/component'];
    const position = component === undefined ? -1 : componentOrder.indexOf(component);
    return [KIND_ORDER.indexOf(kindKey(object.apiVersion, object.kind)), position, object.metadata.name];
  };
  for (const object of objects) waves[KINDS[kindKey(object.apiVersion, object.kind)]?.wave ?? WAVE_COUNT - 1]?.push(object);
  for (const wave of waves) {
    wave.sort((a, b) => {
      const [ka, pa, na] = rank(a);
      const [kb, pb, nb] = rank(b);
      return ka - kb || pa - pb || na.localeCompare(nb);
    });
  }
  return waves.filter((wave) => wave.length > 0);
}

/** The generated values only: a value the site gives is read again from the profile at every render, never stored. */
function generatedOnly(
  sections: { secrets?: Record<string, { keys: Record<string, object> }> | undefined },
  values: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(sections.secrets ?? {})) {
    for (const [key, generator] of Object.entries(spec.keys)) {
      const id = secretId(name, key);
      if (!('value' in generator) && values[id] !== undefined) out[id] = values[id];
    }
  }
  return out;
}

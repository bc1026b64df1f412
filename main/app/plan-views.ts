/** The Review page's view of a Plan: objects by component, the YAML and TOSCA, the target check. */
import type { Catalogue } from '../catalogue/catalogue';
import type { PlanPreview, PlanRequest } from '../contract/plan';
import { isAfpError } from '../errors';
import { renderPlan } from '../render/plan';
import { renderTosca } from '../render/tosca/render-tosca';
import { traitsOf } from '../targets/kinds/traits';
import type { KubeObject, Plan } from '../render/types';
import { ProblemsError, problemsOf } from '../yaml/problems';
import type { ActiveProfile } from '../site/active-profile';
import { enforceLocks } from '../site/catalogue-overrides';
import { manifestYaml } from '../render/manifest';
import { rbacSummary } from '../render/rbac';
import { siteRenderSettings } from '../site/render-settings';
import { linkPolicy } from './site-rules';
import { secretsKeptByIm } from '../render/tosca/secrets-at-im';

/** Renders as every target will: the site's locks first (naming the profile and reason), its link policy applied. */
export function planFor(catalogue: Catalogue, request: PlanRequest, profile: ActiveProfile | null): Plan {
  const template = catalogue.require(request.template);
  const locked = enforceLocks(template.name, request.values, profile, template.parameters);
  if (locked.length > 0) throw new ProblemsError(locked.map((error) => error.toJSON()));
  const links = linkPolicy(profile);
  return renderPlan({
    template,
    values: request.values,
    environment: { name: request.name === undefined || request.name === '' ? template.name : request.name },
    target: request.target,
    ...(links === undefined ? {} : { links }),
    ...siteRenderSettings(profile?.profile),
  });
}

function waveOf(plan: Plan): Map<KubeObject, number> {
  const map = new Map<KubeObject, number>();
  plan.waves.forEach((wave, index) => wave.forEach((object) => map.set(object, index + 1)));
  return map;
}

/** Renders for Review; value problems come back as data so the form can show them inline. */
export function previewPlan(catalogue: Catalogue, request: PlanRequest, profile: ActiveProfile | null): PlanPreview {
  let plan: Plan;
  try {
    plan = planFor(catalogue, request, profile);
  } catch (error) {
    if (isAfpError(error) && error.code !== 'internal') return { valid: false, problems: problemsOf(error) };
    throw error;
  }
  const waves = waveOf(plan);
  const view = (object: KubeObject): { kind: string; name: string; wave: number } => ({
    kind: object.kind,
    name: object.metadata.name,
    wave: waves.get(object) ?? 0,
  });
  const byComponent = new Map<string, KubeObject[]>();
  const shared: KubeObject[] = [];
  for (const object of plan.objects) {
    const component = object.metadata.labels?.['app.kubernetes.io/component'];
    if (component === undefined) shared.push(object);
    else byComponent.set(component, [...(byComponent.get(component) ?? []), object]);
  }
  const tosca = renderTosca(plan);
  const check = traitsOf(request.target).capability(plan);
  const throughIm = traitsOf(request.target).document === 'tosca';
  const shape = throughIm ? catalogue.require(request.template).spec.im?.summary : undefined;
  return {
    valid: true,
    environment: { name: plan.environment.name, namespace: plan.environment.namespace },
    components: plan.components.map((component) => {
      const pod = plan.pods.find((p) => p.component === component.name && !p.spawned);
      const container = pod?.spec.containers[0];
      return {
        name: component.name,
        replicas: pod?.replicas ?? 1,
        ...(container?.image === undefined ? {} : { image: container.image }),
        requests: stringMap(container?.resources?.requests),
        limits: stringMap(container?.resources?.limits),
        objects: (byComponent.get(component.name) ?? []).map(view),
      };
    }),
    shared: shared.map(view),
    waves: plan.waves.length,
    kubeYaml: manifestYaml(plan),
    tosca: { yaml: tosca.yaml, ok: tosca.check.ok, items: tosca.check.items },
    capability: {
      target: request.target,
      ok: check.ok,
      items: check.items,
      // Only a TOSCA document travels to IM and stays in its database.
      secretsKeptByIm: throughIm ? secretsKeptByIm(plan) : [],
      shape,
    },
    links: plan.links.map((link) => ({ title: link.title, component: link.component, expose: link.expose })),
    rbac: rbacSummary(plan),
  };
}

function stringMap(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' ? String(v) : '']));
}

/**
 * Names that point elsewhere must land: dependsOn, component addresses in
 * the environment, secret keys, probe ports, links, credentials, service accounts. Also
 * finds dependsOn cycles and orders components so dependencies come first.
 */
import type { ApiErrorShape } from '../errors';
import type { Component } from '../catalogue/schema/components';
import type { RenderedSections } from '../catalogue/schema/template';
import type { LoadedTemplate } from '../catalogue/template';
import { errorAt } from '../yaml/parse';
import { ProblemsError } from '../yaml/problems';

/** Throws every dangling reference at once; returns component names, dependencies first. */
export function checkReferences(template: LoadedTemplate, sections: RenderedSections): string[] {
  const errors: ApiErrorShape[] = [];
  const report = (path: PropertyKey[], message: string): void => {
    errors.push(errorAt(template.source, 'invalid_template', path, message));
  };
  const components = sections.components;
  const names = Object.keys(components);
  const list = names.join(', ');
  const secrets = sections.secrets ?? {};
  const serviceOwners = new Map<string, string>();
  const serviceAccounts = declaredServiceAccounts(sections);

  const checkSecret = (path: PropertyKey[], ref: { name: string; key: string }): void => {
    const secret = secrets[ref.name];
    if (secret === undefined) report([...path, 'name'], `no secret named "${ref.name}" in the secrets section`);
    else if (secret.keys[ref.key] === undefined)
      report([...path, 'key'], `secret "${ref.name}" has no key "${ref.key}" (it has ${Object.keys(secret.keys).join(', ')})`);
  };
  const checkPort = (path: PropertyKey[], target: string, port: string, needsService: boolean): void => {
    const component = components[target];
    if (component === undefined) {
      report(path, `no component named "${target}" (components: ${list})`);
      return;
    }
    const found = component.ports?.find((candidate) => candidate.name === port);
    if (found === undefined) report(path, `component "${target}" has no port named "${port}"`);
    else if (needsService && found.expose === 'none')
      report(path, `port "${port}" of "${target}" has expose: none, so nothing else can reach it`);
  };

  for (const [name, component] of Object.entries(components)) {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['components', name, ...rest];
    (component.dependsOn ?? []).forEach((dependency, index) => {
      if (components[dependency] === undefined) report(at('dependsOn', index), `no component named "${dependency}" (components: ${list})`);
      else if (dependency === name) report(at('dependsOn', index), `"${name}" depends on itself`);
    });
    (component.env ?? []).forEach((variable, index) => {
      if (variable.secret !== undefined) checkSecret(at('env', index, 'secret'), variable.secret);
      if (variable.component !== undefined) {
        checkPort(at('env', index, 'component'), variable.component.name, variable.component.port, true);
        if (components[variable.component.name]?.ports?.some((p) => p.name === variable.component?.port && p.ownerOnly === true))
          report(
            at('env', index, 'component'),
            `port "${variable.component.port}" of "${variable.component.name}" is ownerOnly: no pod may reach it`,
          );
      }
    });
    (component.files ?? []).forEach((file, index) => {
      if (file.secret !== undefined) checkSecret(at('files', index, 'secret'), file.secret);
    });
    duplicates(
      component.ports?.map((port) => port.name),
      (index, value) => report(at('ports', index, 'name'), `port name "${value}" appears twice`),
    );
    duplicates(
      component.volumes?.map((volume) => volume.name),
      (index, value) => report(at('volumes', index, 'name'), `volume name "${value}" appears twice`),
    );
    duplicates(
      component.files?.map((file) => file.path),
      (index, value) => report(at('files', index, 'path'), `file ${value} appears twice`),
    );
    for (const probe of ['readiness', 'liveness'] as const) {
      const port = component[probe]?.http?.port ?? component[probe]?.tcp?.port;
      if (typeof port === 'string' && component.ports?.find((candidate) => candidate.name === port) === undefined) {
        report(at(probe), `no port named "${port}" on this component`);
      }
    }
    (component.ports ?? []).forEach((port, index) => {
      if (port.ownerOnly === true && (port.expose === 'ingress' || port.expose === 'nodeport'))
        report(at('ports', index, 'ownerOnly'), `an ownerOnly port cannot be published (expose: ${port.expose}); use none or cluster`);
      if (port.expose === 'none') return;
      const service = port.service ?? name;
      const owner = serviceOwners.get(service);
      if (owner !== undefined && owner !== name)
        report(at('ports', index, 'service'), `service "${service}" already belongs to component "${owner}"`);
      serviceOwners.set(service, name);
    });
    if (component.serviceAccount !== undefined && !serviceAccounts.has(component.serviceAccount)) {
      report(at('serviceAccount'), `no ServiceAccount named "${component.serviceAccount}" in extraObjects`);
    }
  }
  (sections.links ?? []).forEach((link, index) => checkPort(['links', index], link.component, link.port, true));
  (sections.credentials ?? []).forEach((credential, index) => {
    if (components[credential.component] === undefined)
      report(['credentials', index, 'component'], `no component named "${credential.component}" (components: ${list})`);
    checkSecret(['credentials', index, 'secret'], credential.secret);
    if (typeof credential.username === 'object') checkSecret(['credentials', index, 'username', 'secret'], credential.username.secret);
  });
  duplicates(
    (sections.links ?? []).map((link) => link.id ?? `${link.component}-${link.port}`),
    (index, value) => report(['links', index, 'id'], `link id "${value}" appears twice`),
  );

  const order = dependencyOrder(components, (path, message) => report(path, message));
  if (errors.length > 0) throw new ProblemsError(errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return order;
}

function duplicates(values: readonly string[] | undefined, report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  (values ?? []).forEach((value, index) => {
    if (seen.has(value)) report(index, value);
    seen.add(value);
  });
}

function declaredServiceAccounts(sections: RenderedSections): Set<string> {
  const names = new Set<string>();
  for (const group of sections.extraObjects ?? []) {
    for (const object of group.objects) {
      const metadata = object.metadata as { name?: unknown } | undefined;
      if (object.kind === 'ServiceAccount' && typeof metadata?.name === 'string') names.add(metadata.name);
    }
  }
  return names;
}

/** Depth-first order (dependencies first, otherwise as declared); a cycle is reported once with its path. */
function dependencyOrder(components: Record<string, Component>, report: (path: PropertyKey[], message: string) => void): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      report(['components', cycle[0] ?? name, 'dependsOn'], `dependsOn cycle: ${cycle.join(' → ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const dependency of components[name]?.dependsOn ?? []) {
      if (components[dependency] !== undefined && dependency !== name) visit(dependency, [...trail, name]);
    }
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(components)) visit(name, []);
  return order;
}

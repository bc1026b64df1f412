/**
 * Environment variables and files as IM's connector takes them: variables
 * are literal text (IM cannot reference a Secret), a component's address is
 * IM's own `endpoints` attribute, and each file becomes its own ConfigMap (or,
 * when the text is valid base64, a Secret that Kubernetes decodes).
 */
import type { Plan, PlanComponent } from '../types';
import { secretId } from '../secrets';
import type { ComponentLayout } from './im-layout';
import type { ImContainer, ToscaValue } from './types';
import { say, type Message } from '../../messages/message';

type Report = (object: string, reason: Message) => void;

export function containerEnvironment(
  plan: Plan,
  component: PlanComponent,
  layouts: ReadonlyMap<string, ComponentLayout>,
  object: string,
  mapped: Report,
  refused: Report,
): Record<string, ToscaValue> {
  const loops = addressLoops(plan);
  const environment: Record<string, ToscaValue> = {};
  const inlined: string[] = [];
  for (const variable of component.env ?? []) {
    if (variable.secret !== undefined) {
      environment[variable.name] = checkedLiteral(
        plan.secretValues[secretId(variable.secret.name, variable.secret.key)] ?? '',
        variable.name,
        object,
        refused,
      );
      inlined.push(variable.name);
    } else if (variable.field !== undefined) {
      if (variable.field === 'metadata.namespace') environment[variable.name] = plan.environment.namespace;
      else refused(object, say('im.envField', { variable: variable.name, field: variable.field }));
    } else if (variable.component !== undefined) {
      const ref = variable.component;
      const target = layouts.get(ref.name);
      const index = target?.ports.findIndex((port) => port.name === ref.port) ?? -1;
      if (ref.name === component.name) {
        refused(object, say('im.envOwnAddress', { variable: variable.name }));
      } else if (loops.has(`${component.name}>${ref.name}`)) {
        refused(object, say('im.envLoop', { variable: variable.name, other: ref.name, component: component.name }));
      } else if (target === undefined || index < 0) {
        refused(object, say('im.envMissingPort', { variable: variable.name, port: ref.port, other: ref.name }));
      } else if (target.published) {
        // IM 2.0.0 (IM/tosca/Tosca.py, get_attribute "endpoints" while parsing) reads a variable `vm` that exists only
        // after deployment: the document is refused with "cannot access local variable 'vm'" (verified on the bed).
        const published = target.ports.filter((port) => port.expose === 'nodeport' || port.expose === 'ingress').map((port) => port.name);
        refused(object, say('im.envPublished', { variable: variable.name, other: ref.name, ports: published.join(', ') }));
      } else if (target.nodes.length > 1) {
        refused(object, say('im.envReplicas', { variable: variable.name, other: ref.name, count: target.nodes.length }));
      } else {
        environment[variable.name] = addressValue(ref, { get_attribute: [target.nodes[0] ?? ref.name, 'endpoints', index] });
      }
    } else {
      environment[variable.name] = checkedLiteral(String(variable.value ?? ''), variable.name, object, refused);
    }
  }
  if (inlined.length > 0) {
    mapped(object, say('im.envInlined', { count: inlined.length, variables: inlined.join(', ') }));
  }
  return environment;
}

function addressValue(ref: { scheme?: string | undefined; path?: string | undefined }, address: ToscaValue): ToscaValue {
  const prefix = ref.scheme === undefined ? '' : `${ref.scheme}://`;
  return prefix === '' && ref.path === undefined ? address : { concat: [prefix, address, ref.path ?? ''].filter((part) => part !== '') };
}

/** "a>b" for every address reference from a to b that lies on a cycle of such references. */
function addressLoops(plan: Plan): Set<string> {
  const edges = new Map<string, Set<string>>();
  for (const component of plan.components) {
    const targets = new Set(
      (component.env ?? []).flatMap((variable) => (variable.component === undefined ? [] : [variable.component.name])),
    );
    edges.set(component.name, targets);
  }
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const next = stack.pop() ?? '';
      if (next === to) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(edges.get(next) ?? []));
    }
    return false;
  };
  const loops = new Set<string>();
  for (const [from, targets] of edges) for (const to of targets) if (to !== from && reaches(to, from)) loops.add(`${from}>${to}`);
  return loops;
}

// IM joins variables into one "K=V,K2=V2" text and splits it with a regular expression.
function checkedLiteral(value: string, name: string, object: string, refused: Report): string {
  if (/["\n\r]/.test(value)) refused(object, say('im.envQuotes', { variable: name }));
  return value;
}

export function containerFiles(plan: Plan, component: PlanComponent, object: string, mapped: Report): ImContainer['files'] {
  const files = component.files ?? [];
  if (files.length === 0) return [];
  const out: ImContainer['files'] = [];
  files.forEach((file, index) => {
    const artifact = `file_${index + 1}`;
    if (file.secret !== undefined) {
      const value = plan.secretValues[secretId(file.secret.name, file.secret.key)] ?? '';
      out.push({ artifact, deployPath: file.path, content: Buffer.from(value, 'utf8').toString('base64') });
      mapped(object, say('im.fileSecret', { path: file.path, secret: `${file.secret.name}/${file.secret.key}` }));
      return;
    }
    const content = file.content ?? '';
    if (looksBase64(content)) {
      // IM treats base64-looking text as a Secret's data, which Kubernetes decodes: encode it once more so the file keeps its text.
      out.push({ artifact, deployPath: file.path, content: Buffer.from(content, 'utf8').toString('base64') });
      mapped(object, say('im.fileBase64', { path: file.path }));
    } else {
      out.push({ artifact, deployPath: file.path, content });
    }
    if (file.mode !== undefined) mapped(object, say('im.fileMode', { path: file.path, mode: file.mode.toString(8) }));
  });
  const texts = files.filter((file) => file.content !== undefined).length;
  if (texts > 0) {
    mapped(object, say('im.fileConfigMaps', { count: texts }));
  }
  return out;
}

// Python's base64.b64decode(validate=True), which IM uses to decide Secret versus ConfigMap.
function looksBase64(text: string): boolean {
  return text.length > 0 && text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatError } from '../../../main/errors';
import { checkTemplate } from '../../../main/render/check-template';
import { renderPlan } from '../../../main/render/plan';
import { problemsOf } from '../../../main/yaml/problems';
import { isAfpError } from '../../../main/errors';
import { errorsOf, fromText, SMALL } from './fixtures';

const messages = (text: string): string[] => errorsOf(text).map(formatError);

/** Line number (1-based) of the first line containing `needle`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

function renderProblems(text: string): string[] {
  try {
    renderPlan({ template: fromText(text), environment: { name: 'test' } });
  } catch (error) {
    if (isAfpError(error)) return problemsOf(error).map(formatError);
    throw error;
  }
  assert.fail('expected rendering to fail');
}

describe('a template with a mistake gets one clear message naming file, line and field', () => {
  it('loads the reference template', () => {
    assert.equal(fromText(SMALL).name, 'small');
  });

  it('YAML syntax error: file and line', () => {
    const text = SMALL.replace('  workers:\n    type: integer', '  workers:\n    type: integer\n   oops: [');
    const [first] = errorsOf(text);
    assert.equal(first?.file, 'my.yaml');
    assert.equal(first?.code, 'invalid_template');
    assert.ok(first?.line !== undefined && first.line >= lineOf(text, 'oops'));
    assert.match(first?.message ?? '', /^YAML syntax: /);
  });

  it('unknown field', () => {
    const text = SMALL.replace('    min: 0\n', '    minimum: 0\n');
    assert.deepEqual(messages(text), [`my.yaml:${lineOf(text, 'minimum')}: parameters.workers.minimum: unknown field`]);
  });

  it('unknown field inside a component', () => {
    const text = SMALL.replace('    dependsOn: [scheduler]', '    dependson: [scheduler]');
    assert.deepEqual(messages(text), [`my.yaml:${lineOf(text, 'dependson')}: components.worker.dependson: unknown field`]);
  });

  it('wrong type: parameters.workers.max: expected integer, got "ten"', () => {
    const text = SMALL.replace('    max: 10\n', '    max: ten\n');
    assert.deepEqual(messages(text), [`my.yaml:${lineOf(text, 'max: ten')}: parameters.workers.max: expected integer, got "ten"`]);
  });

  it('a default outside its own range', () => {
    const text = SMALL.replace('    default: 2\n', '    default: 20\n');
    assert.deepEqual(messages(text), [`my.yaml:${lineOf(text, 'default: 20')}: parameters.workers.default: 20 is above the maximum 10`]);
  });

  it('a preset setting an unknown parameter', () => {
    const text = SMALL.replace('values: { workers: 1 }', 'values: { wrkers: 1 }');
    assert.deepEqual(messages(text), [
      `my.yaml:${lineOf(text, 'wrkers')}: presets[0].values.wrkers: unknown parameter "wrkers" (small has workers, memory)`,
    ]);
  });

  it('a malformed quantity in a parameter: 4 GB', () => {
    const text = SMALL.replace('    default: 1Gi\n', '    default: 4 GB\n');
    assert.deepEqual(messages(text), [
      `my.yaml:${lineOf(text, '4 GB')}: parameters.memory.default: expected a memory quantity such as 4Gi, 512Mi or 4G, got "4 GB"`,
    ]);
  });

  it('an unpinned image', () => {
    const text = SMALL.replace('  scheduler:\n    image: ghcr.io/dask/dask:2025.11.0', '  scheduler:\n    image: ghcr.io/dask/dask:latest');
    assert.deepEqual(messages(text), [
      `my.yaml:${lineOf(text, 'dask:latest')}: components.scheduler.image: image tag "latest" is not pinned: name a version`,
    ]);
  });

  it('an unknown parameter type', () => {
    const text = SMALL.replace('    type: integer', '    type: int');
    assert.deepEqual(messages(text), [
      `my.yaml:${lineOf(text, 'type: int')}: parameters.workers.type: expected one of "integer", "number", "string", "boolean", "enum", "cpu", "memory", "storage", got "int"`,
    ]);
  });

  it('dangling dependsOn', () => {
    const text = SMALL.replace('dependsOn: [scheduler]', 'dependsOn: [schedulr]');
    assert.deepEqual(renderProblems(text), [
      `my.yaml:${lineOf(text, 'schedulr')}: components.worker.dependsOn[0]: no component named "schedulr" (components: scheduler, worker)`,
    ]);
  });

  it('a dependsOn cycle', () => {
    const text = SMALL.replace(
      '    ports:\n      - { name: comm, port: 8786 }',
      '    ports:\n      - { name: comm, port: 8786 }\n    dependsOn: [worker]',
    );
    assert.deepEqual(renderProblems(text), [
      `my.yaml:${lineOf(text, 'dependsOn: [worker]')}: components.scheduler.dependsOn: dependsOn cycle: scheduler → worker → scheduler`,
    ]);
  });

  it('an expression error names the expression', () => {
    const text = SMALL.replace('$eval: values.workers', '$eval: valuez.workers');
    assert.deepEqual(renderProblems(text), [
      `my.yaml:${lineOf(text, 'valuez')}: components.worker.replicas: expression error: unknown context value valuez`,
    ]);
  });

  it('an expression syntax error', () => {
    const text = SMALL.replace('"${values.memory}"', '"${values.memory"');
    const problems = renderProblems(text);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      new RegExp(
        `^my\\.yaml:${lineOf(text, '{values.memory"')}: components\\.worker\\.resources\\.requests\\.memory: expression syntax error: `,
      ),
    );
  });

  it('an expression that computes the wrong type', () => {
    const text = SMALL.replace('{ $eval: values.workers }', '"${values.workers}"');
    assert.deepEqual(renderProblems(text), [
      `my.yaml:${lineOf(text, 'replicas:')}: components.worker.replicas: expected integer, got "2" (as computed by the expression)`,
    ]);
  });

  it('a reference to a missing port', () => {
    const text = SMALL.replace('port: comm, scheme: tcp', 'port: com, scheme: tcp');
    assert.deepEqual(renderProblems(text), [
      `my.yaml:${lineOf(text, 'port: com,')}: components.worker.env[0].component: component "scheduler" has no port named "com"`,
    ]);
  });

  it('validate also renders every preset', () => {
    const text = SMALL.replace(
      '  - name: tiny\n    values: { workers: 1 }',
      '  - name: tiny\n    values: { workers: 1, memory: 300Mi }',
    ).replace(
      'requests: { cpu: 500m, memory: "${values.memory}" }',
      'requests: { cpu: 500m, memory: "${values.memory}" }\n      limits: { memory: { $if: "values.memory == \'300Mi\'", then: "1x", else: "${values.memory}" } }',
    );
    const problems = checkTemplate(fromText(text)).map(formatError);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /components\.worker\.resources\.limits\.memory: expected a memory quantity such as 4Gi, 512Mi or 4G, got "1x" \(as computed by the expression\) \(with preset tiny\)$/,
    );
  });
});

describe('rendered objects are checked against the Kubernetes schema before they leave', () => {
  it('names the object and the field', () => {
    const text = `${SMALL}extraObjects:\n  - purpose: the workers read pods\n    objects:\n      - { apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: { name: reader }, rules: [{ apiGroups: [""], resources: pods, verbs: [get] }] }\n`;
    assert.deepEqual(renderProblems(text), ['my.yaml: Role reader: rules[0].resources must be array']);
  });

  it('refuses kinds it cannot order or validate, and objects aimed at another namespace', () => {
    const text = `${SMALL}extraObjects:\n  - purpose: odd ones\n    objects:\n      - { apiVersion: batch/v1, kind: CronJob, metadata: { name: nightly } }\n      - { apiVersion: v1, kind: ConfigMap, metadata: { name: elsewhere, namespace: default } }\n`;
    const problems = renderProblems(text);
    assert.equal(problems.length, 2);
    assert.match(
      problems[0] ?? '',
      /^my\.yaml:\d+: extraObjects\[0\]\.objects\[0\]\.kind: batch\/v1 CronJob cannot be added here \(supported: ServiceAccount, Role, RoleBinding, /,
    );
    assert.match(
      problems[1] ?? '',
      /^my\.yaml:\d+: extraObjects\[0\]\.objects\[1\]\.metadata: objects live in the environment's namespace; leave metadata\.namespace out \(got "default"\)$/,
    );
  });

  it('an icon must be built-in or an inline SVG', () => {
    const text = SMALL.replace('  version: 1.0.0', '  version: 1.0.0\n  icon: https://example.org/logo.png');
    assert.match(
      messages(text)[0] ?? '',
      /^my\.yaml:7: metadata\.icon: icon "https:\/\/example\.org\/logo\.png" is neither a built-in icon/,
    );
  });
});

/**
 * Values typed by a user reach jupyterhub_config.py only as Python literals:
 * with the known injection and fuzzed strings in every string parameter of
 * every built-in, the rendered Python parses and has the same syntax tree as
 * with harmless values, constants aside — no code the template did not write.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { HubLogin } from '../../../main/render/hub-login';
import { renderPlan } from '../../../main/render/plan';
import type { RenderInput } from '../../../main/render/types';
import type { LoadedTemplate } from '../../../main/catalogue/template';
import { isAfpError } from '../../../main/errors';
import { problemsOf } from '../../../main/yaml/problems';
import { fuzzParameters } from '../fuzz/support';
import { BUILTIN_NAMES, builtin, fromText } from '../catalogue/fixtures';

const INJECTION = 'a";__import__("os").system("id");b="c:d';

/** Every .py file the plan writes (ConfigMap keys ending in .py), by key. */
function pythonFiles(
  template: LoadedTemplate,
  values: Record<string, unknown>,
  site: Pick<RenderInput, 'owner' | 'hubLogin'> = {},
): Record<string, string> | undefined {
  let plan;
  try {
    plan = renderPlan({ template, values, environment: { name: 'pycheck' }, secrets: {}, ...site });
  } catch (error) {
    if (isAfpError(error)) return undefined; // refused by the parameter's own checks: never rendered
    throw error;
  }
  const files: Record<string, string> = {};
  for (const object of plan.objects) {
    if (object.kind !== 'ConfigMap') continue;
    for (const [key, text] of Object.entries((object.data ?? {}) as Record<string, string>)) {
      if (key.endsWith('.py')) files[`${object.metadata.name}/${key}`] = text;
    }
  }
  return files;
}

// One Python process for a whole batch: parse each pair and compare the trees with every constant reduced to its type.
const COMPARE = `
import ast, json, sys
def shape(source):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.value = type(node.value).__name__
    return ast.dump(tree)
out = []
for pair in json.load(sys.stdin):
    try:
        out.append(shape(pair[0]) == shape(pair[1]))
    except SyntaxError as error:
        out.append("SyntaxError: " + str(error))
print(json.dumps(out))
`;

function sameShapes(pairs: [reference: string, candidate: string][]): (true | false | string)[] {
  return JSON.parse(execFileSync('python3', ['-c', COMPARE], { input: JSON.stringify(pairs), encoding: 'utf8' })) as (
    true | false | string
  )[];
}

function stringParameters(template: LoadedTemplate): string[] {
  return Object.entries(template.parameters)
    .filter(([, parameter]) => parameter.type === 'string')
    .map(([name]) => name);
}

const nasty = fc.oneof(
  fc.constantFrom(INJECTION, '"', "'", '\\', '\\"', '"""', '\n', '\u2028', '\r\n#', '${x}', '{pvc_name}', '\ud800', '\u0000', 'é:☃'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'"\'\\\n\r;#:()[]{}$ ax'.split('')), maxLength: 40 }),
);

describe('values reach jupyterhub_config.py as Python literals', () => {
  const withPython = BUILTIN_NAMES.filter((name) => Object.keys(pythonFiles(builtin(name), {}) ?? {}).length > 0);

  it('the built-ins that write Python are the two with a hub', () => {
    assert.deepEqual(withPython, ['analysis-facility', 'jupyterhub']);
  });

  for (const name of withPython) {
    const template = builtin(name);
    const reference = pythonFiles(template, {}) ?? {};

    it(`${name}: the userImage injection renders as one string, and the config still parses to the template's own code`, () => {
      const files = pythonFiles(template, { userImage: INJECTION });
      assert.ok(files !== undefined, 'the injection passes the parameter pattern (so escaping, not validation, must stop it)');
      const hub = Object.entries(files).map(([key, text]) => [reference[key] ?? '', text] as [string, string]);
      assert.deepEqual(
        sameShapes(hub),
        hub.map(() => true),
      );
      assert.match(Object.values(files).join('\n'), /c\.KubeSpawner\.image = "a\\";__import__\(\\"os\\"\)\.system\(\\"id\\"\);b=\\"c:d"/);
    });

    it(`${name}: fuzzed strings in every string parameter change constants only (fast-check, fixed seed)`, () => {
      const parameters = stringParameters(template);
      assert.ok(parameters.length > 0);
      const { numRuns, seed } = fuzzParameters(150);
      const cases = fc.sample(fc.record({ parameter: fc.constantFrom(...parameters), head: nasty, tail: nasty }), { numRuns, seed });
      const pairs: [string, string][] = [];
      for (const { parameter, head, tail } of cases) {
        // The value as drawn; else shaped like a pinned image (no spaces, ends in ":tag") for image parameters.
        const shaped = `${head}${tail}`.replace(/\s/g, '_') + ':1.0';
        const files = pythonFiles(template, { [parameter]: head }) ?? pythonFiles(template, { [parameter]: shaped });
        if (files === undefined) continue;
        for (const [key, text] of Object.entries(files)) pairs.push([reference[key] ?? '', text]);
      }
      assert.ok(pairs.length >= 50, `enough fuzzed values were rendered (${pairs.length})`);
      const results = sameShapes(pairs);
      results.forEach((result, index) => assert.equal(result, true, `case ${index}:\n${pairs[index]?.[1] ?? ''}`));
    });
  }

  it("the owner's name and the site's hub login settings (from the identity provider and the profile) are literals too", () => {
    const login = (text: (field: string) => string): HubLogin => ({
      issuer: text('issuer'),
      clientId: text('clientId'),
      authorizeUrl: text('authorizeUrl'),
      tokenUrl: text('tokenUrl'),
      userdataUrl: text('userdataUrl'),
      usernameClaim: text('usernameClaim'),
      groupsClaim: text('groupsClaim'),
      scopes: [text('scope')],
    });
    const { numRuns, seed } = fuzzParameters(60);
    for (const name of withPython) {
      const template = builtin(name);
      const files = (owner: string, hubLogin: HubLogin): Record<string, string> =>
        pythonFiles(template, {}, { owner, hubLogin }) ?? assert.fail('renders');
      const reference = files(
        'alice',
        login((field) => field),
      );
      const pairs: [string, string][] = [];
      for (const [owner, value] of fc.sample(fc.tuple(nasty, nasty), { numRuns, seed })) {
        for (const [key, text] of Object.entries(
          files(
            owner,
            login(() => value),
          ),
        ))
          pairs.push([reference[key] ?? '', text]);
      }
      const results = sameShapes(pairs);
      results.forEach((result, index) => assert.equal(result, true, `case ${index}:\n${pairs[index]?.[1] ?? ''}`));
    }
  });

  it('a site template that pastes a value between quotes by hand is refused, naming the file, line and the fix', () => {
    const text = `apiVersion: afp.dev/v1
kind: Template
metadata: { name: hub, title: Hub, version: 1.0.0 }
parameters:
  image: { type: string, default: "a:b" }
components:
  hub:
    image: quay.io/jupyterhub/k8s-hub:4.4.0
    files:
      - path: /etc/jupyterhub/jupyterhub_config.py
        content: |
          c.KubeSpawner.image = "\${values.image}"
`;
    const template = fromText(text, 'site/hub.yaml');
    assert.throws(
      () => renderPlan({ template, environment: { name: 'x' } }),
      (error: unknown) => {
        assert.ok(isAfpError(error));
        const [problem] = problemsOf(error);
        assert.equal(problem?.file, 'site/hub.yaml');
        assert.equal(typeof problem?.line, 'number');
        assert.match(
          problem.message,
          /line 1 of \/etc\/jupyterhub\/jupyterhub_config\.py inserts \$\{values\.image\} as raw text; write \$\{py\(values\.image\)\}/,
        );
        return true;
      },
    );
  });
});

/**
 * Render time of a Plan: analysis-facility (median of many runs; target ≤ 20 ms)
 * and a synthetic template of 500 components (target ≤ 500 ms). Prints JSON.
 * Run: npx tsx bench/render.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtinTemplatesDir } from '../main/catalogue/builtin';
import { parseTemplate, type LoadedTemplate } from '../main/catalogue/template';
import { renderPlan } from '../main/render/plan';
import type { RenderInput } from '../main/render/types';

function load(text: string, file: string): LoadedTemplate {
  const result = parseTemplate(text, file);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.template;
}

function synthetic(components: number): string {
  const lines = [
    'apiVersion: afp.dev/v1',
    'kind: Template',
    'metadata: { name: synthetic, title: Synthetic, version: 1.0.0 }',
    'parameters:',
    '  replicas: { type: integer, default: 2, min: 0, max: 10 }',
    '  memory: { type: memory, default: 512Mi }',
    'secrets:',
    '  shared: { keys: { token: { generate: hex } } }',
    'components:',
  ];
  for (let i = 0; i < components; i += 1) {
    lines.push(
      `  c${i}:`,
      '    image: ghcr.io/example/app:1.0.0',
      '    replicas: { $eval: values.replicas }',
      '    command: [app, --port, "8080"]',
      '    env:',
      '      - { name: TOKEN, secret: { name: shared, key: token } }',
      ...(i > 0 ? [`      - { name: UPSTREAM, component: { name: c${i - 1}, port: http, scheme: http } }`] : []),
      '    ports: [{ name: http, port: 8080 }]',
      '    resources: { requests: { cpu: 100m, memory: "${values.memory}" }, limits: { memory: "${values.memory}" } }',
      '    files: [{ path: /etc/app/app.conf, content: "name = c' + String(i) + '\\nmemory = ${values.memory}\\n" }]',
      '    readiness: { http: { path: /healthz, port: http } }',
      ...(i > 0 ? [`    dependsOn: [c${i - 1}]`] : []),
    );
  }
  return `${lines.join('\n')}\n`;
}

function measure(input: RenderInput, runs: number): { runs: number; medianMs: number; p90Ms: number; minMs: number; objects: number } {
  const warm = renderPlan(input);
  const secrets = warm.generatedSecrets;
  for (let i = 0; i < Math.min(5, runs); i += 1) renderPlan({ ...input, secrets });
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    renderPlan({ ...input, secrets });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2));
  return { runs, medianMs: at(0.5), p90Ms: at(0.9), minMs: at(0), objects: warm.objects.length };
}

const afFile = path.join(builtinTemplatesDir(), 'analysis-facility.yaml');
const af = load(readFileSync(afFile, 'utf8'), afFile);
const big = load(synthetic(500), 'synthetic.yaml');
const afResult = measure({ template: af, environment: { name: 'bench' }, links: { ingressDomain: 'apps.example.org', tls: true } }, 200);
const bigResult = measure({ template: big, environment: { name: 'bench' } }, 15);
console.log(
  JSON.stringify(
    {
      node: process.version,
      analysisFacility: { ...afResult, targetMs: 20, withinTarget: afResult.medianMs <= 20 },
      synthetic500Components: { ...bigResult, targetMs: 500, withinTarget: bigResult.medianMs <= 500 },
    },
    null,
    2,
  ),
);

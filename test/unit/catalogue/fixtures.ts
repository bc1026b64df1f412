/** Loading templates for tests: the built-in ones, and small texts written inline. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtinTemplatesDir } from '../../../main/catalogue/builtin';
import { parseTemplate, type LoadedTemplate } from '../../../main/catalogue/template';
import type { ApiErrorShape } from '../../../main/errors';

export const BUILTIN_NAMES = ['analysis-facility', 'dask', 'jupyterhub', 'minio'] as const;

export function builtin(name: string): LoadedTemplate {
  const file = path.join(builtinTemplatesDir(), `${name}.yaml`);
  const result = parseTemplate(readFileSync(file, 'utf8'), file, 'built-in');
  if (!result.ok) throw new Error(`built-in ${name} does not load: ${JSON.stringify(result.errors)}`);
  return result.template;
}

export function fromText(text: string, file = 'my.yaml'): LoadedTemplate {
  const result = parseTemplate(text, file);
  if (!result.ok) throw new Error(`template does not load: ${JSON.stringify(result.errors)}`);
  return result.template;
}

export function errorsOf(text: string, file = 'my.yaml'): ApiErrorShape[] {
  const result = parseTemplate(text, file);
  if (result.ok) throw new Error('expected the template to be refused');
  return result.errors;
}

/** A small valid template; tests change one thing in it. */
export const SMALL = `apiVersion: afp.dev/v1
kind: Template
metadata:
  name: small
  title: Small
  version: 1.0.0
parameters:
  workers:
    type: integer
    default: 2
    min: 0
    max: 10
  memory:
    type: memory
    default: 1Gi
    min: 256Mi
    max: 8Gi
presets:
  - name: tiny
    values: { workers: 1 }
components:
  scheduler:
    image: ghcr.io/dask/dask:2025.11.0
    ports:
      - { name: comm, port: 8786 }
  worker:
    image: ghcr.io/dask/dask:2025.11.0
    replicas: { $eval: values.workers }
    env:
      - name: DASK_SCHEDULER_ADDRESS
        component: { name: scheduler, port: comm, scheme: tcp }
    resources:
      requests: { cpu: 500m, memory: "\${values.memory}" }
    dependsOn: [scheduler]
`;

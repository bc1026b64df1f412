/**
 * Which generated secrets IM would keep. IM's Kubernetes connector takes
 * environment variables only as literal values and files only as content
 * (IM/connectors/Kubernetes.py builds `env: [{name, value}]` and makes a
 * ConfigMap or Secret from the text it is given; it cannot reference a
 * Secret), so every generated secret a container uses is written into the
 * TOSCA document, which IM stores in its database, and into the Deployment.
 * Review names them before deploy, as "secret/key".
 */
import type { Plan } from '../types';

export function secretsKeptByIm(plan: Plan): string[] {
  const kept = new Set<string>();
  for (const component of plan.components) {
    for (const variable of component.env ?? [])
      if (variable.secret !== undefined) kept.add(`${variable.secret.name}/${variable.secret.key}`);
    for (const file of component.files ?? []) if (file.secret !== undefined) kept.add(`${file.secret.name}/${file.secret.key}`);
  }
  return [...kept].sort();
}

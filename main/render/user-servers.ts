/**
 * One server per named user, for targets that cannot run a hub's spawner
 * (IM's connector creates no RBAC objects, so KubeSpawner cannot start pods
 * there). Each user gets the component `<name>-<user>`, a token of its own
 * (generated like every secret, passed in `tokenVariable`), a link and a
 * credential naming that token.
 */
import type { RenderedSections } from '../catalogue/schema/template';
import { DNS_LABEL } from '../catalogue/schema/common';

/** The owner first, then each named user once; `group:` entries are left out (a single server belongs to one person). */
export function namedUsers(owner: string, named: string): string[] {
  const users = [owner, ...named.replace(/,/g, ' ').split(/\s+/)].filter((name) => name !== '' && !name.startsWith('group:'));
  return [...new Set(users)];
}

/** A DNS label for a user name: "Alice.Smith@x" → "alice-smith-x"; unique among `taken`. */
export function userLabel(user: string, taken: ReadonlySet<string>): string {
  let label = user
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 20)
    .replace(/-+$/, '');
  if (!DNS_LABEL.test(label)) label = 'user';
  let unique = label;
  for (let n = 2; taken.has(unique); n += 1) unique = `${label}-${n}`;
  return unique;
}

/** The sections with `userServers` expanded into components, a token secret, links and credentials. */
export function expandUserServers(sections: RenderedSections): RenderedSections {
  const spec = sections.userServers;
  if (spec === undefined) return sections;
  const tokens = `${spec.name}-tokens`;
  const components = { ...sections.components };
  const keys: Record<string, { generate: 'alphanumeric'; length: number }> = {};
  const links = [...(sections.links ?? [])];
  const credentials = [...(sections.credentials ?? [])];
  const taken = new Set<string>();
  for (const user of spec.users) {
    const label = userLabel(user, taken);
    taken.add(label);
    const name = `${spec.name}-${label}`;
    keys[label] = { generate: 'alphanumeric', length: 32 };
    components[name] = {
      ...spec.component,
      title: `${spec.title} (${user})`,
      env: [...(spec.component.env ?? []), { name: spec.tokenVariable, secret: { name: tokens, key: label } }],
    };
    links.push({
      id: name,
      title: `${spec.title} (${user})`,
      component: name,
      port: spec.port,
      path: spec.path,
    });
    credentials.push({ title: `${spec.title} token (${user})`, component: name, username: user, secret: { name: tokens, key: label } });
  }
  const { userServers: _expanded, ...rest } = sections;
  return {
    ...rest,
    secrets: { ...(sections.secrets ?? {}), [tokens]: { title: `${spec.title} tokens, one per user`, keys } },
    components,
    links,
    credentials,
  };
}

/**
 * One server per named user, for targets that cannot run a hub's spawner
 * (IM's connector creates no RBAC objects, so KubeSpawner cannot start pods
 * there). Each user gets the component `<name>-<user>`, a token of its own
 * (generated like every secret, passed in `tokenVariable`), a link and a
 * credential naming that token. Each of `userKeys` (e.g. storage keys) is one
 * more generated key per user: the user's server gets only its own, and the
 * component named in `filesFor` (which creates those users, e.g. in MinIO)
 * gets every user's as a file named after the server.
 */
import type { RenderedSections, UserServers } from '../catalogue/schema/template';
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

type UserKeys = NonNullable<UserServers['userKeys']>[number];
interface Server {
  user: string;
  label: string;
  component: string;
}

/** The sections with `userServers` expanded into components, a token secret, links and credentials. */
export function expandUserServers(sections: RenderedSections): RenderedSections {
  const spec = sections.userServers;
  if (spec === undefined) return sections;
  refuseTwiceSetVariables(spec);
  const tokens = `${spec.name}-tokens`;
  const components = { ...sections.components };
  const keys: Record<string, { generate: 'alphanumeric'; length: number }> = {};
  const links = [...(sections.links ?? [])];
  const credentials = [...(sections.credentials ?? [])];
  const taken = new Set<string>();
  const servers: Server[] = [];
  for (const user of spec.users) {
    const label = userLabel(user, taken);
    taken.add(label);
    const name = `${spec.name}-${label}`;
    servers.push({ user, label, component: name });
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
  const secrets = { ...(sections.secrets ?? {}), [tokens]: { title: `${spec.title} tokens, one per user`, keys } };
  for (const keySpec of spec.userKeys ?? []) addUserKeys(keySpec, servers, { secrets, components, credentials });
  const { userServers: _expanded, ...rest } = sections;
  return { ...rest, secrets, components, links, credentials };
}

type Expanded = { [K in 'secrets' | 'components' | 'credentials']-?: NonNullable<RenderedSections[K]> };

/** One generated key per user: in that user's server only, and every one as a file of `filesFor`'s component. */
function addUserKeys(spec: UserKeys, servers: readonly Server[], out: Expanded): void {
  const keys: Record<string, { generate: 'alphanumeric'; length: number }> = {};
  for (const server of servers) {
    keys[server.label] = { generate: 'alphanumeric', length: spec.length ?? 32 };
    const component = out.components[server.component];
    if (component === undefined) continue;
    const own = { name: spec.secret, key: server.label };
    out.components[server.component] = {
      ...component,
      env: [
        ...(component.env ?? []),
        ...(spec.nameVariables ?? []).map((name) => ({ name, value: server.component })),
        ...spec.variables.map((name) => ({ name, secret: own })),
      ],
    };
    out.credentials.push({ title: `${spec.title} (${server.user})`, component: server.component, username: server.component, secret: own });
  }
  out.secrets[spec.secret] = { title: `${spec.title}, one per user`, keys };
  if (spec.filesFor !== undefined) {
    const target = out.components[spec.filesFor.component];
    if (target === undefined) throw new MissingComponentError(spec.secret, spec.filesFor.component);
    const { dir } = spec.filesFor;
    const files = servers.map((server) => ({ path: `${dir}/${server.component}`, secret: { name: spec.secret, key: server.label } }));
    out.components[spec.filesFor.component] = { ...target, files: [...(target.files ?? []), ...files] };
  }
}

/**
 * Each user's server receives the component's env, the token and every userKeys variable; Kubernetes keeps the last
 * of two same-named variables without a word, so a name set twice would silently lose one value (e.g. a root key
 * the template meant to replace, or the user's own key).
 */
function refuseTwiceSetVariables(spec: UserServers): void {
  const setBy = new Map<string, string>();
  const set = (name: string, by: string): void => {
    const first = setBy.get(name);
    if (first !== undefined) throw new UserServersError(`${name} is set twice in each user's server: by ${first} and by ${by}`);
    setBy.set(name, by);
  };
  for (const variable of spec.component.env ?? []) set(variable.name, 'userServers.component.env');
  set(spec.tokenVariable, 'userServers.tokenVariable');
  for (const keys of spec.userKeys ?? []) {
    for (const name of keys.variables) set(name, `userServers.userKeys ${keys.secret} (variables)`);
    for (const name of keys.nameVariables ?? []) set(name, `userServers.userKeys ${keys.secret} (nameVariables)`);
  }
}

/** A userServers block that cannot be expanded faithfully; the message names the fields. */
export class UserServersError extends Error {}

/** A `filesFor` naming a component the template lacks: the users' keys would reach no one. */
export class MissingComponentError extends UserServersError {
  constructor(secret: string, component: string) {
    super(`userServers.userKeys ${secret}: filesFor names component "${component}", which the template does not define`);
  }
}

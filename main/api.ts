/**
 * THE contract between the renderer and the main process. Preload, the IPC
 * binding, the HTTP bridge and the renderer's client are all derived from
 * `contract` and `eventSchema`; channel names appear nowhere else.
 * Adding a request = one entry here + one handler (the build fails without it).
 * This file is imported by the renderer too: it may import zod and main/contract/* only.
 */
import { z } from 'zod';
import { templateListSchema } from './contract/catalogue';
import { authContract, authEventSchemas } from './contract/auth';
import { fitRequestSchema, fitViewSchema } from './contract/capacity';
import { kubeContextsSchema } from './contract/kube';
import { credentialsViewSchema } from './contract/credentials';
import { logsContract, logsEventSchemas } from './contract/logs';
import {
  deployRequestSchema,
  environmentDetailSchema,
  environmentsEventSchemas,
  environmentSummarySchema,
  logsSchema,
  operationHistorySchema,
  operationStartedSchema,
} from './contract/environments';
import { profileViewSchema } from './contract/profile';
import { exportRequestSchema, planPreviewSchema, planRequestSchema, templateDetailSchema, valuesSchema } from './contract/plan';
import { settingsPatchSchema, settingsSchema } from './contract/settings';

const empty = z.object({}).strict();

export const contract = {
  'app.info': {
    input: empty,
    output: z.object({
      name: z.string(),
      version: z.string(),
      shell: z.enum(['electron', 'browser-preview']),
      platform: z.string(),
      /** Shown as the start of suggested paths (exports); never used to read files. */
      homeDir: z.string(),
    }),
  },
  /** A desktop notification from the shell (Electron's, from the main process); the preview answers shown: false and uses the Web Notifications API. */
  'app.notify': {
    input: z.object({ title: z.string().min(1).max(200), body: z.string().max(1000) }).strict(),
    output: z.object({ shown: z.boolean() }),
  },
  ...authContract,
  'templates.list': { input: empty, output: templateListSchema },
  'templates.get': { input: z.object({ name: z.string().min(1).max(100) }).strict(), output: templateDetailSchema },
  /** Renders for Configure's inline validation and for Review; value problems come back as data. */
  'plan.render': { input: planRequestSchema, output: planPreviewSchema },
  /** Whether every pod of the plan would schedule now, why not, and what would fit. */
  'capacity.fit': { input: fitRequestSchema, output: fitViewSchema },
  'plan.export': { input: exportRequestSchema, output: z.object({ files: z.array(z.string()) }) },
  /** The desktop's folder picker where there is one; the preview answers without a folder. */
  'export.chooseFolder': {
    input: z.object({ suggested: z.string().max(4096).optional() }).strict(),
    output: z.object({ directory: z.string().optional() }),
  },
  'settings.get': { input: empty, output: settingsSchema },
  'settings.update': { input: settingsPatchSchema, output: settingsSchema },
  'links.open': {
    input: z.object({ url: z.string().max(4096) }).strict(),
    output: z.object({ opened: z.boolean() }),
  },
  /** The site profile in force, where it came from, its locks, and why a chosen file is not used. */
  'profile.get': { input: empty, output: profileViewSchema },
  /** Chooses a profile file in Settings (null: none); applied at once. */
  'profile.choose': { input: z.object({ file: z.string().max(4096).nullable() }).strict(), output: profileViewSchema },
  /** Contexts of a kubeconfig (a named file, else the one chosen in the app, the site profile's, KUBECONFIG, ~/.kube/config), marked allowed by the site. */
  'kube.contexts': { input: z.object({ kubeconfig: z.string().max(4096).optional() }).strict(), output: kubeContextsSchema },
  /** Chooses a kubeconfig for the GUI (the file dialog, or the typed path), its exec programs shown first; see shell/kubeconfig-choices. */
  'kube.chooseKubeconfig': {
    input: z
      .object({ kubeconfig: z.string().max(4096).optional(), confirmExec: z.boolean().optional(), useDefault: z.boolean().optional() })
      .strict(),
    output: z.object({ kubeconfig: z.string().optional(), pending: z.string().optional(), execCommands: z.array(z.string()) }),
  },
  'environments.list': { input: empty, output: z.object({ environments: z.array(environmentSummarySchema) }) },
  'environments.get': { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: environmentDetailSchema },
  /** Starts deploying; progress and the outcome arrive as operation.* events. */
  'environments.deploy': { input: deployRequestSchema, output: operationStartedSchema },
  'environments.update': {
    input: z.object({ id: z.string().min(1).max(200), values: valuesSchema }).strict(),
    output: operationStartedSchema,
  },
  /** Re-applies the recorded plan (the values it runs with), taking back fields changed outside the app: drift undone. */
  'environments.restore': { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: operationStartedSchema },
  'environments.delete': { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: operationStartedSchema },
  /** Removes the record from the inventory without touching any cluster; says what the record said was applied (it stays there). */
  'environments.forget': {
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    output: z.object({ name: z.string(), applied: z.number().int(), namespace: z.string() }),
  },
  'environments.resume': { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: operationStartedSchema },
  /** IM's log of an IM or dispatcher environment's infrastructure, read as the signed-in user. */
  'environments.logs': { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: logsSchema },
  /** The credentials the environment's owner needs, read now from its Secrets or, through IM, IM's TOSCA (never stored, never logged). */
  'environments.credentials': { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: credentialsViewSchema },
  /** Opens a link in the system browser, starting a port-forward first when the link needs one. */
  'environments.openLink': {
    input: z.object({ id: z.string().min(1).max(200), linkId: z.string().min(1).max(200) }).strict(),
    output: z.object({ url: z.string(), opened: z.boolean() }),
  },
  ...logsContract,
  'operations.cancel': {
    input: z.object({ operationId: z.string().min(1).max(200) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** The lines an operation reported so far, and its end (kept for the last operations of this run of the app). */
  'operations.history': {
    input: z.object({ operationId: z.string().min(1).max(200) }).strict(),
    output: operationHistorySchema,
  },
} as const;

export const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('settings.changed'), settings: settingsSchema }),
  z.object({ type: z.literal('catalogue.changed') }),
  z.object({ type: z.literal('profile.changed'), profile: profileViewSchema }),
  ...environmentsEventSchemas,
  ...authEventSchemas,
  ...logsEventSchemas,
]);

export type Contract = typeof contract;
export type RequestName = keyof Contract;
export type RequestInput<K extends RequestName> = z.input<Contract[K]['input']>;
export type ParsedInput<K extends RequestName> = z.output<Contract[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Contract[K]['output']>;
export type AppEvent = z.infer<typeof eventSchema>;

export const requestNames = Object.keys(contract) as RequestName[];

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(contract, name);
}

/**
 * The cache rules: which cached answers an event makes stale. Declared here,
 * beside the requests and events they tie together, so a new event or request
 * is given its rule in the same place (the renderer's query cache obeys them:
 * renderer/client/cache-rules.ts). Rows of a live batch are patched in place
 * (renderer/client/live-environments.ts); only what the rules name is asked again.
 */
export interface Staleness {
  /** Requests whose every cached answer (any input) is stale. */
  requests: RequestName[];
  /** Ask again for answers no page shows right now too, not only those on screen. */
  everywhere?: boolean;
}

const ENVIRONMENT_REQUESTS = requestNames.filter((name) => name.startsWith('environments.'));

export const CACHE_RULES: { [T in AppEvent['type']]: (event: Extract<AppEvent, { type: T }>) => Staleness } = {
  'settings.changed': () => ({ requests: [] }),
  'catalogue.changed': () => ({ requests: ['templates.list', 'templates.get', 'plan.render'] }),
  'profile.changed': () => ({ requests: [] }),
  // An operation's end changes an environment's values and history, which live batches never carry; pages not on screen too.
  'operation.done': () => ({ requests: ENVIRONMENT_REQUESTS, everywhere: true }),
  'operation.progress': () => ({ requests: [] }),
  // The list shows status and links; other rows only change the environment's own page, which the batch patches.
  'environments.batch': (event) => ({
    requests: event.deltas.some(
      (delta) =>
        delta.untracked === true || delta.status !== undefined || delta.upserted?.links !== undefined || delta.removed?.links !== undefined,
    )
      ? ['environments.list']
      : [],
  }),
  'auth.changed': () => ({ requests: [] }),
  'auth.device': () => ({ requests: [] }),
  'logs.lines': () => ({ requests: [] }),
  'logs.ended': () => ({ requests: [] }),
};

/** What `event` makes stale, by the rules above. */
export function staleAfter(event: AppEvent): Staleness {
  return (CACHE_RULES[event.type] as (event: AppEvent) => Staleness)(event);
}

/** Events that carry a request's new answer (its input is `{}`): the cached answer is replaced, not asked again. */
export function freshAnswer(
  event: AppEvent,
):
  | { request: 'profile.get'; answer: RequestOutput<'profile.get'> }
  | { request: 'auth.status'; answer: RequestOutput<'auth.status'> }
  | undefined {
  if (event.type === 'profile.changed') return { request: 'profile.get', answer: event.profile };
  if (event.type === 'auth.changed') return { request: 'auth.status', answer: event.status };
  return undefined;
}

/** IPC channel of a request; the only place a channel name is spelled. */
export function channelFor(name: RequestName): string {
  return `afp:request:${name}`;
}
export const EVENT_CHANNEL = 'afp:event';

export { HTTP_EVENTS_PATH, HTTP_REQUEST_PREFIX } from './contract/http-paths';

export { apiErrorSchema, type Result } from './contract/errors';
export type { TemplateCard, TemplateErrorCard } from './contract/catalogue';
export type { Settings } from './contract/settings';
export type { ParameterView, PlanPreview, PlanRequest, PresetView, TemplateDetail } from './contract/plan';
export { TARGETS } from './contract/plan';
export type { ContextSummaryView, KubeContextsView } from './contract/kube';
export type { ProfileView } from './contract/profile';
export type { CapacitySource, FitView } from './contract/capacity';
export type { EnvironmentDetail, EnvironmentSummary, Sections, TargetChoiceView } from './contract/environments';
export { SECTIONS } from './contract/environments';
export type { AuthStatusView, DeviceCodeView } from './contract/auth';
export type { CredentialsView, CredentialView } from './contract/credentials';
export type { LogSources } from './contract/logs';
export { LOG_BOUNDS } from './contract/logs';
export type { ApiErrorShape, ErrorCode } from './errors';
export type { Message, MessageParams } from './messages/message';
export { coreMessagesEn } from './messages/en';
export { LANGUAGES, THEMES } from './contract/settings';

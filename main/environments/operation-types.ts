/**
 * The shapes the operations take and give: requests, handles, results and
 * the events a caller (the GUI's bridge, the CLI) follows.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { LoadedTemplate } from '../catalogue/template';
import type { ApiErrorShape } from '../errors';
import type { RenderInput } from '../render/types';
import type { ProgressEvent, ReadinessSummary } from '../targets/kinds/target';
import type { EnvironmentRecord } from '../inventory/record';
import type { ConnectTarget } from '../targets/connect';
import type { OperationKind } from './record-steps';
import type { TargetChoice } from '../targets/target-choice';
import type { EnvironmentStore } from './store';

export interface EnvironmentOperationsOptions {
  store: EnvironmentStore;
  catalogue: () => Promise<Catalogue>;
  connect?: ConnectTarget;
  /** The site's rules, read at every deploy, update and resume (default: none, no ingress). */
  site?: SiteRules;
  now?: () => Date;
}

/** What the site profile in force asks of every deploy, update and resume (built once, in main/app/site-rules.ts). */
export interface SiteRules {
  /** The link policy in force; undefined when no profile is (an environment then keeps the one it was deployed with). */
  links(): RenderInput['links'] | undefined;
  /** Throws, before any request, when the signed-in user may not do this (e.g. not in the site's groups). */
  admit(action: 'deploy' | 'update' | 'resume', environment: string): void;
  /** Throws a ProblemsError naming each setting the values change that the site locks. */
  checkValues(template: LoadedTemplate, values: Readonly<Record<string, unknown>>): void;
  /** The profile's isolation and hub sign-in, and the owner (the signed-in user), for every render. */
  render(): SiteRender;
}

export type SiteRender = Pick<RenderInput, 'isolation' | 'hubLogin' | 'owner'>;

export interface ApplyChoices {
  /** Wait until every workload is ready, at most this long, before the operation ends. */
  waitForReadyMs?: number;
  /** Take over fields another manager changed (after reporting them). */
  forceConflicts?: boolean;
}

export interface DeployRequest extends ApplyChoices {
  template: string;
  values?: Record<string, unknown>;
  /** Environment name, also its namespace; default: the template's name. */
  name?: string;
  /** Where to deploy; default: the kube context given by kubeconfig and context. */
  target?: TargetChoice;
  kubeconfig?: string;
  context?: string;
  /** Where the values came from, so errors name the file and line. */
  valuesOrigin?: RenderInput['valuesOrigin'];
}

export interface DeleteOptions {
  /** Wait until everything is gone, at most this long; the record is removed then. */
  waitMs?: number;
}

export interface OperationResult {
  outcome: 'succeeded' | 'failed' | 'cancelled';
  error?: ApiErrorShape;
  readiness?: ReadinessSummary;
  /** The record as the operation left it; absent when a delete removed it. */
  record?: EnvironmentRecord;
}

export interface OperationHandle {
  operationId: string;
  environmentId: string;
  name: string;
  kind: OperationKind;
  done: Promise<OperationResult>;
}

export interface Subject {
  operationId: string;
  environmentId: string;
  name: string;
  kind: OperationKind;
}

export type OperationEvent =
  (Subject & { type: 'progress'; progress: ProgressEvent }) | (Subject & { type: 'done'; result: OperationResult });

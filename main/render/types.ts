/**
 * The Plan: everything a target needs to create an environment, computed
 * once from a template and values, identical for the GUI, the CLI and export.
 */
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { LoadedTemplate } from '../catalogue/template';
import type { Values } from '../catalogue/values';
import type { Component } from '../catalogue/schema/components';
import type { HubLogin } from './hub-login';

import type { TargetKind } from '../contract/plan';

export type Target = TargetKind;

/** A Kubernetes object as sent to the API server (plain JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: { key: string; operator: string; values?: string[] | undefined }[] | undefined;
}

/** Which pods are the site's ingress controller (the site profile's isolation.ingressController). */
export interface IngressController {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

export interface RenderInput {
  template: LoadedTemplate;
  /** The user's flat values map; missing parameters take their defaults. */
  values?: Record<string, unknown>;
  environment: { name: string; id?: string; namespace?: string };
  /** Secrets generated for this environment before ("secret.key" → value); kept as they are. */
  secrets?: Record<string, string>;
  target?: Target;
  links?: { ingressDomain?: string | undefined; tls?: boolean | undefined; ingressClassName?: string | undefined };
  /** The site's isolation settings (site profile `isolation`); defaults when absent. */
  isolation?: { ingressController?: IngressController };
  /** How hubs sign users in with the site's identity provider (site profile hubLogin); absent: the owner alone, with a generated password. */
  hubLogin?: HubLogin;
  /** The environment's owner as the identity provider names them (the hub's admin); default "owner". */
  owner?: string;
  /** Where `values` came from, so errors name its file and lines. */
  valuesOrigin?: { file?: string; lineOf?: (path: readonly PropertyKey[]) => number | undefined };
}

export interface PlanEnvironment {
  id: string;
  name: string;
  namespace: string;
  template: string;
  templateVersion: string;
}

/** Pods of one component (or pods a component spawns at run time), for the capacity engine. */
export interface PlanPod {
  component: string;
  /** Workload name, or the spawned pods' name. */
  name: string;
  replicas: number;
  /** True for pods created at run time by the component (e.g. JupyterHub user servers), not by the plan. */
  spawned: boolean;
  spec: IPodSpec;
}

export interface PlanLink {
  id: string;
  title: string;
  description?: string;
  component: string;
  service: string;
  /** Port on the Service. */
  port: number;
  portName: string;
  path: string;
  scheme: 'http' | 'https';
  expose: 'cluster' | 'nodeport' | 'ingress';
  /** Ingress host, when an ingress domain was given. */
  host?: string;
  /** Full URL when it is known before deploying (ingress with a host). */
  url?: string;
}

export interface PlanApplySet {
  id: string;
  parent: { apiVersion: 'v1'; kind: 'Secret'; name: string; namespace: string };
  tooling: string;
  /** Kinds of the members, "Kind.group" (core kinds without group), sorted. */
  groupKinds: string[];
}

/** A component after expressions were evaluated: what TOSCA and the GUI's Review read. */
export type PlanComponent = Component & { name: string };

/** A credential the owner needs: where its value is kept, and what it is for. */
export interface PlanCredential {
  id: string;
  title: string;
  component: string;
  /** A literal user name, or the secret key holding it. */
  username?: string | { secret: { name: string; key: string } } | undefined;
  secret: { name: string; key: string };
}

export interface Plan {
  environment: PlanEnvironment;
  target: Target;
  /** Every parameter's value (the user's, else the default). */
  values: Values;
  /** Objects to apply, in dependency order; objects in one wave can be applied in parallel. */
  waves: KubeObject[][];
  /** The same objects, flat, in wave order. */
  objects: KubeObject[];
  pods: PlanPod[];
  links: PlanLink[];
  /** Which secret keys the owner needs to sign in (the template's credentials section): names, never values. */
  credentials: PlanCredential[];
  /** Every generated secret value ("secret.key" → value), new and kept: persist it with the environment. */
  generatedSecrets: Record<string, string>;
  /** Every secret value, generated and given by the site (`value:` keys): what the Secrets hold. Not for persisting. */
  secretValues: Record<string, string>;
  applyset: PlanApplySet;
  components: PlanComponent[];
  /** Raw objects that only the kube target can create, with why they are needed. */
  kubeOnly: { purpose: string; objects: KubeObject[] }[];
  /** How ports exposed by ingress are reached (as given to renderPlan). */
  linkOptions: { ingressDomain?: string; tls: boolean; ingressClassName?: string };
}

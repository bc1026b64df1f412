/**
 * What a target can do with a plan: each difference is either mapped (the
 * environment works, and this is how it differs) or refused (it cannot be
 * created faithfully), with the exact reason. Nothing is dropped silently.
 */
import type { MessageId, MessageParams } from '../../messages/message';

export interface CapabilityItem {
  /** The object or component concerned, e.g. "ServiceAccount hub" or "Deployment worker". */
  object: string;
  severity: 'mapped' | 'refused';
  /** In English (the CLI, export, refusals); `id` and `params` say it in the user's language (main/messages). */
  reason: string;
  id: MessageId;
  params?: MessageParams;
}

export interface CapabilityCheck {
  /** True when nothing is refused. */
  ok: boolean;
  items: CapabilityItem[];
}

/** A TOSCA intrinsic function value (get_attribute, concat). */
export type ToscaValue = string | { get_attribute: (string | number)[] } | { concat: ToscaValue[] };

export interface ToscaPort {
  protocol: 'tcp' | 'udp';
  target: number;
  source?: number;
  endpoint?: string;
}

export interface ImContainer {
  /** TOSCA node name; IM names the Deployment and Service after it (plus an id). */
  node: string;
  component: string;
  image: string;
  command?: string[];
  environment: Record<string, ToscaValue>;
  /** CPUs (may be fractional) and memory in bytes: IM sets requests = limits to these. */
  cpus: number;
  memoryBytes: number;
  publish?: ToscaPort[];
  expose?: ToscaPort[];
  volumes: { node: string; sizeBytes: number; mountPath: string }[];
  files: { artifact: string; deployPath: string; content: string }[];
}

export interface ImMapping {
  containers: ImContainer[];
  /** Link id → the container node and index of its endpoint. */
  outputs: { id: string; node: string; index: number }[];
  check: CapabilityCheck;
}

/** The IM target: IM's REST client and the Target (the status source of IM and dispatcher environments is in ../dispatcher). */
export type { TokenSource } from './token-source';
export {
  ImClient,
  imBaseUrl,
  DEFAULT_IM_RETRY,
  type ImClientOptions,
  type Infrastructure,
  type InfrastructureState,
  type CallOptions,
  type CreateOptions,
  type RetryPolicy,
} from './im-client';
export {
  imAuthorizationHeader,
  joinLines,
  type ImAuthMode,
  type KubernetesLineOptions,
  type ImHeaderOptions,
  type AuthLine,
} from './auth-header';
export { imStateText, imStateToPhase, vmSummary, type ImPhase } from './im-state';
export { imTarget, imClientFor, type ImTarget, type ImTargetOptions, type ImSettings, type LogsTarget } from './im-target';
export { linksFromOutputs, outputName } from './outputs-links';
export { imAnswerError, cleanMessage, toscaLine } from './im-errors';

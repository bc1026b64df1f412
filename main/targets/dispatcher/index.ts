/** The dispatcher target (INFN im-connector in front of IM), and the status source of IM and dispatcher environments. */
export { dispatcherTarget, type DispatcherTarget, type DispatcherTargetOptions } from './dispatcher-target';
export { DispatcherClient, dispatcherError, type DispatcherClientOptions } from './dispatcher-client';
export {
  resolveDispatcher,
  followClient,
  dispatcherStyleHeader,
  NOT_FOLLOWED,
  type DispatcherSettings,
  type ImTargetSettings,
  type ResolvedDispatcher,
} from './dispatcher-settings';
export type { TokenSource } from '../im/token-source';
export { imStatusSourceFactory, type ImStatusSourceOptions } from './im-status-source';

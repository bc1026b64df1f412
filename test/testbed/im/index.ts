/** The test bed's IM: see start.ts (start), install-im.sh (install), NOTES.md (what IM accepts). */
export { startIm, TOSCA_TYPES_PATH, type Im, type StartImOptions } from './start';
export { IM_VERSION } from './install';
export { imAuthorization, imLine, kubernetesLine, type AuthLine } from './auth-header';

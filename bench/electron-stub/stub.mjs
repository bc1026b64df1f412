// Any property, call or construction gives the stub again; `then` is a no-op so promise chains simply never run.
const stub = new Proxy(function stubbed() {}, {
  get: (_target, key) => (key === 'then' ? () => stub : key === Symbol.toPrimitive ? () => '' : stub),
  apply: () => stub,
  construct: () => stub,
});

export default stub;
export const app = stub;
export const BrowserWindow = stub;
export const dialog = stub;
export const ipcMain = stub;
export const Notification = stub;
export const safeStorage = stub;
export const session = stub;
export const shell = stub;
export const contextBridge = stub;
export const ipcRenderer = stub;

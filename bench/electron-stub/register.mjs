// Lets bench/startup.ts load the built Electron shell (out/main/index.js) in plain Node to time its module loading:
// `electron` and `electron-store` resolve to a stub whose every call does nothing (the window is never created).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);

import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// Entry points are named explicitly: our folders are main/, preload/, renderer/ (DESIGN §3).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      // The preview program is built beside the shell so `npm start` without Electron loads a bundle too.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'main/index.ts'), preview: resolve(import.meta.dirname, 'main/preview-main.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require npm modules: bundle the contract (and zod) into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});

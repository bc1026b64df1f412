#!/usr/bin/env node
// The `afp` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const { main } = await import(fileURLToPath(new URL('../main/cli.ts', import.meta.url)));
process.exitCode = await main(process.argv.slice(2));

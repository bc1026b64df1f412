/**
 * The process crash-safety.test.ts kills with SIGKILL. It plays the app's main
 * process with the real Inventory and EnvironmentOperations, and says on stdout
 * what it has finished, so the test knows what must have survived the kill.
 *   inventory <dir> <writer> <firstOp>   endless create/update/remove of the writer's own records; `ack <op>` after each
 *   deploy <dir> <kubeconfig> <name>     one deploy of lab-dask; `done <outcome>` at the end
 * Both print `ready` once loaded, so kills land in the work, not in start-up.
 */
import path from 'node:path';
import { AfpError } from '../../../main/errors';
import { Inventory } from '../../../main/inventory/inventory';
import { crashRecord, inventoryOp, writerPrefix } from './crash-ops';

const [mode, dir, ...rest] = process.argv.slice(2);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function inventoryWriter(writer: string, firstOp: number): Promise<never> {
  const inventory = Inventory.open(dir!);
  say('ready');
  for (let op = firstOp; ; op += 1) {
    const step = inventoryOp(op);
    const name = `${writerPrefix(writer)}${step.slot}`;
    for (;;) {
      try {
        const current = inventory.get(name);
        if (step.kind === 'remove') {
          if (current !== undefined) inventory.remove(current.id);
        } else if (current === undefined) {
          inventory.create(crashRecord(name, op));
        } else {
          inventory.update(current.id, (draft) => {
            draft.values = { seq: op, pad: 'x'.repeat(step.pad) };
            draft.status = { phase: op % 2 === 0 ? 'Ready' : 'Deploying', message: `op ${op}`, since: new Date().toISOString() };
          });
        }
        break;
      } catch (error) {
        // Another writer holds the lock for long on a loaded machine: try again, as the app does.
        if (error instanceof AfpError && error.code === 'locked') continue;
        throw error;
      }
    }
    say(`ack ${op}`);
    // Yield, so the stdout pipe drains and the kill finds us between writes as often as inside one.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function deploy(kubeconfig: string, name: string): Promise<void> {
  // The driver runs bundled from elsewhere: the test names the templates folder.
  const fixtures = process.env.AFP_CRASH_FIXTURES ?? path.resolve('test/integration/deploy/fixtures');
  // Loaded here only: the inventory writer starts faster without the Kubernetes client.
  const [{ loadCatalogue }, { EnvironmentOperations }] = await Promise.all([
    import('../../../main/catalogue/catalogue'),
    import('../../../main/environments/operations'),
  ]);
  const inventory = Inventory.open(dir!, { recoverInterrupted: false });
  const operations = new EnvironmentOperations({ store: inventory, catalogue: () => loadCatalogue({ dirs: [fixtures] }) });
  say('ready');
  const handle = await operations.deploy({ template: 'lab-dask', name, kubeconfig, values: { workers: 1 } });
  const result = await handle.done;
  say(`done ${result.outcome}`);
}

async function main(): Promise<void> {
  if (mode === 'inventory') await inventoryWriter(rest[0]!, Number(rest[1]));
  else if (mode === 'deploy') await deploy(rest[0]!, rest[1]!);
  else throw new Error(`unknown mode ${String(mode)}`);
}

// No top-level await: the driver is also bundled as CommonJS, which V8 can cache compiled (bundle-driver.ts).
main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * The durable list of environments: one record each, in `inventory.json` in
 * the user's config folder (electron-store in the app, conf elsewhere; one
 * file format). Every change is a locked read-modify-write, so the app and the
 * CLI can share the file; the previous good file is kept as `.bak`. A file that
 * cannot be read is reported, never replaced by an empty inventory.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AfpError } from '../errors';
import { openConfStore } from '../store/conf-store';
import type { KeyValueStore } from '../store/key-value-store';
import { isProcessAlive } from '../fs/process';
import { withFileLockSync } from '../fs/sync-file-lock';
import { fieldPath, invalidInventory, inventoryLocked, sweepTemporaries, unreadableInventory, writeBackup } from './inventory-file';
import { migrateDocument } from './inventory-migrations';
import { environmentRecordSchema, INVENTORY_SCHEMA_VERSION, type EnvironmentRecord } from './record';
import { assertNoSecrets } from './secret-guard';

export const INVENTORY_NAME = 'inventory';

export type InventoryChange =
  | { kind: 'created'; record: EnvironmentRecord }
  | { kind: 'updated'; record: EnvironmentRecord; previous: EnvironmentRecord }
  | { kind: 'removed'; record: EnvironmentRecord };

export type InventoryListener = (change: InventoryChange) => void;

export interface InventoryOptions {
  now?: () => Date;
  /** Mark `running` operations whose process is gone as `interrupted` (default true). */
  recoverInterrupted?: boolean;
}

const recordsSchema = z.array(environmentRecordSchema);

interface Snapshot {
  stamp: string;
  records: EnvironmentRecord[];
}

export class Inventory {
  /** The schema version the file had when opened, when it was migrated forward. */
  readonly migratedFrom: number | undefined;
  /** Records whose running operation was marked `interrupted` when opened. */
  readonly interrupted: EnvironmentRecord[];
  private readonly listeners = new Set<InventoryListener>();
  private readonly now: () => Date;
  private cache: Snapshot | undefined;

  private constructor(
    private readonly store: KeyValueStore,
    options: InventoryOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.migratedFrom = withFileLockSync(
      store.path,
      () => {
        sweepTemporaries(store.path);
        return this.migrate();
      },
      inventoryLocked(store.path),
    );
    this.interrupted = options.recoverInterrupted === false ? [] : this.recoverInterrupted();
  }

  /** Opens the inventory in a store, or in `<dir>/inventory.json` through conf. Throws AfpError when the file is unreadable or invalid. */
  static open(source: KeyValueStore | string, options: InventoryOptions = {}): Inventory {
    return new Inventory(typeof source === 'string' ? openStore(source) : source, options);
  }

  get path(): string {
    return this.store.path;
  }

  list(): EnvironmentRecord[] {
    return structuredClone(this.read());
  }

  get(idOrName: string): EnvironmentRecord | undefined {
    const records = this.read();
    const found = records.find((r) => r.id === idOrName) ?? records.find((r) => r.name === idOrName);
    return found === undefined ? undefined : structuredClone(found);
  }

  create(record: EnvironmentRecord): EnvironmentRecord {
    const created = this.checked(stampOperations(structuredClone(record)));
    this.transaction((records) => {
      if (records.some((r) => r.id === created.id))
        throw new AfpError('conflict', `An environment with id "${created.id}" is already in the inventory.`, { field: 'id' });
      if (records.some((r) => r.name === created.name))
        throw new AfpError('conflict', `An environment named "${created.name}" is already in the inventory.`, { field: 'name' });
      return [...records, created];
    });
    this.emit({ kind: 'created', record: structuredClone(created) });
    return structuredClone(created);
  }

  /** Applies `mutate` to a copy of the record (or takes the record it returns), sets updatedAt, validates and writes. */
  update(id: string, mutate: (record: EnvironmentRecord) => void | EnvironmentRecord): EnvironmentRecord {
    let previous: EnvironmentRecord | undefined;
    let next: EnvironmentRecord | undefined;
    this.transaction((records) => {
      const index = records.findIndex((r) => r.id === id);
      const current = records[index];
      if (current === undefined) throw new AfpError('not_found', `No environment with id "${id}" in the inventory.`, { field: 'id' });
      previous = current;
      const draft = structuredClone(current);
      const returned = mutate(draft);
      const candidate = stampOperations(returned ?? draft);
      if (candidate.id !== id)
        throw new AfpError('invalid_input', `An update cannot change the environment id ("${id}" → "${candidate.id}").`, { field: 'id' });
      candidate.updatedAt = this.now().toISOString();
      next = this.checked(candidate);
      const updated = [...records];
      updated[index] = next;
      return updated;
    });
    if (previous === undefined || next === undefined) throw new AfpError('internal', 'inventory update produced no record');
    this.emit({ kind: 'updated', record: structuredClone(next), previous: structuredClone(previous) });
    return structuredClone(next);
  }

  /** Removes the record; returns it, or undefined when there was none. */
  remove(id: string): EnvironmentRecord | undefined {
    let removed: EnvironmentRecord | undefined;
    this.transaction((records) => {
      removed = records.find((r) => r.id === id);
      return removed === undefined ? undefined : records.filter((r) => r.id !== id);
    });
    if (removed !== undefined) this.emit({ kind: 'removed', record: structuredClone(removed) });
    return removed;
  }

  /** Listens to changes made through this Inventory; returns the unsubscribe function. */
  onChange(listener: InventoryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Marks `running` operations whose process has exited (the app crashed or
   * was killed mid-operation) as `interrupted`, so they show as resumable.
   */
  recoverInterrupted(): EnvironmentRecord[] {
    const startedAt = Date.now() - process.uptime() * 1000;
    const stale = (op: EnvironmentRecord['operations'][number]): boolean =>
      op.outcome === 'running' &&
      (op.pid === undefined || !isProcessAlive(op.pid) || (op.pid === process.pid && Date.parse(op.startedAt) < startedAt));
    const affected = this.read().filter((r) => r.operations.some(stale));
    return affected.map((record) =>
      this.update(record.id, (draft) => {
        const at = this.now().toISOString();
        for (const op of draft.operations) {
          if (!stale(op)) continue;
          op.outcome = 'interrupted';
          op.finishedAt = at;
          op.message = `The app stopped during this ${op.kind}; it can be resumed.`;
        }
      }),
    );
  }

  private emit(change: InventoryChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // One broken listener must not hide the change from the others.
      }
    }
  }

  private checked(record: unknown): EnvironmentRecord {
    const parsed = environmentRecordSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AfpError('invalid_input', `Not a valid environment record: ${issue?.message ?? 'invalid'}.`, {
        field: fieldPath(issue?.path ?? []),
      });
    }
    assertNoSecrets(parsed.data);
    return parsed.data;
  }

  /** A locked read-modify-write; `change` returns the new list, or undefined to write nothing. */
  private transaction(change: (records: EnvironmentRecord[]) => EnvironmentRecord[] | undefined): void {
    withFileLockSync(
      this.store.path,
      () => {
        this.cache = undefined;
        const next = change(this.read());
        if (next === undefined) return;
        this.write(next);
      },
      inventoryLocked(this.store.path),
    );
  }

  /**
   * The store writes one key at a time, each atomically. The order keeps every
   * state in between readable: a new file gets its version before any record
   * (an empty list meanwhile); a migrated one gets its records before the new
   * version (an unlabelled file is migrated again, and migrations are idempotent).
   */
  private write(records: EnvironmentRecord[]): void {
    writeBackup(this.store.path);
    const labelled = this.store.get('schemaVersion') === INVENTORY_SCHEMA_VERSION;
    const fresh = !labelled && this.store.get('environments') === undefined;
    if (fresh) this.store.set('schemaVersion', INVENTORY_SCHEMA_VERSION);
    this.store.set('environments', records);
    if (!labelled && !fresh) this.store.set('schemaVersion', INVENTORY_SCHEMA_VERSION);
    this.cache = undefined;
  }

  private read(): EnvironmentRecord[] {
    const stamp = fileStamp(this.store.path);
    if (this.cache !== undefined && stamp !== undefined && this.cache.stamp === stamp) return this.cache.records;
    const { version, environments } = this.raw();
    if (environments === undefined) return [];
    // Unlabelled: a migration cut short between its two writes (or a version 0 file another process just wrote).
    const current =
      version === undefined && Array.isArray(environments)
        ? migrateDocument({ schemaVersion: 0, environments }).document.environments
        : environments;
    if (version !== undefined && version !== INVENTORY_SCHEMA_VERSION) throw this.wrongVersion(version);
    const records = this.parse(current);
    if (stamp !== undefined) this.cache = { stamp, records };
    return records;
  }

  private raw(): { version: unknown; environments: unknown } {
    try {
      return { version: this.store.get('schemaVersion'), environments: this.store.get('environments') };
    } catch (error) {
      throw unreadableInventory(this.store.path, error);
    }
  }

  private parse(environments: unknown): EnvironmentRecord[] {
    const parsed = recordsSchema.safeParse(environments);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const issuePath = ['environments', ...(issue?.path ?? [])];
    return failWith(
      invalidInventory(this.store.path, fieldPath(issuePath), `${fieldPath(issuePath)}: ${issue?.message ?? 'invalid'}`, issuePath),
    );
  }

  private wrongVersion(version: unknown): AfpError {
    if (typeof version === 'number' && version > INVENTORY_SCHEMA_VERSION) {
      return new AfpError(
        'unsupported',
        `The environment inventory was written by a newer AF Provisioner (schema version ${version}; this one reads up to ${INVENTORY_SCHEMA_VERSION}). Update the app; the file was left as it is.`,
        { file: this.store.path, field: 'schemaVersion' },
      );
    }
    return invalidInventory(this.store.path, 'schemaVersion', `schemaVersion ${JSON.stringify(version)} is not a known version`, [
      'schemaVersion',
    ]);
  }

  /** Brings an older file forward, keeping the original as `inventory.json.v<N>.bak`. */
  private migrate(): number | undefined {
    const { version, environments } = this.raw();
    if (environments === undefined && version === undefined) return undefined;
    const from = version === undefined ? 0 : version;
    if (from === INVENTORY_SCHEMA_VERSION) return undefined;
    if (typeof from !== 'number' || !Number.isInteger(from) || from < 0 || from > INVENTORY_SCHEMA_VERSION)
      throw this.wrongVersion(version);
    if (!Array.isArray(environments)) {
      throw invalidInventory(this.store.path, 'environments', 'environments is not a list', ['environments']);
    }
    const migrated = migrateDocument({ schemaVersion: from, environments });
    const records = this.parse(migrated.document.environments);
    const keep = `${this.store.path}.v${from}.bak`;
    if (!existsSync(keep)) copyFileSync(this.store.path, keep);
    this.write(records);
    return from;
  }
}

function openStore(dir: string): KeyValueStore {
  try {
    return openConfStore(dir, INVENTORY_NAME);
  } catch (error) {
    throw unreadableInventory(path.join(dir, `${INVENTORY_NAME}.json`), error);
  }
}

function failWith(error: AfpError): never {
  throw error;
}

/** Inode, size and mtime: an atomic rename by any process changes the stamp. */
function fileStamp(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Running operations carry their process id, so a later start can tell a crash from a live operation. */
function stampOperations(record: EnvironmentRecord): EnvironmentRecord {
  for (const op of record.operations) {
    if (op.outcome === 'running' && op.pid === undefined) op.pid = process.pid;
  }
  return record;
}

/**
 * Writing results: to stdout for "-", else into a folder, each file written
 * whole (temporary file, then rename) so a failure leaves nothing half-written.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** 0600 unless told otherwise: what we write (manifests with their Secrets, TOSCA with passwords) is the user's alone. */
export async function writeWhole(file: string, text: string, mode = 0o600): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, file);
}

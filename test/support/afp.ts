/**
 * Runs `afp` in this process, as the terminal would, and keeps what it printed;
 * onStderr sees all of stderr so far each time it grows (a person reading the terminal).
 */
import { main } from '../../main/cli';

export interface AfpRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function afp(args: string[], cwd: string = process.cwd(), onStderr?: (text: string) => void): Promise<AfpRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        onStderr?.(stderr);
      },
    },
  });
  return { code, stdout, stderr };
}

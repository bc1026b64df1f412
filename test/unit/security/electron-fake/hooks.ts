/**
 * Module hooks that answer `import 'electron'` with the fake of this folder:
 * the Electron binary cannot be downloaded here, and the shell's options and
 * handlers are what the security tests inspect.
 */
interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

let fakeUrl = '';

export function initialize(data: { fakeUrl: string }): void {
  fakeUrl = data.fakeUrl;
}

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<ResolveResult> {
  if (specifier === 'electron') return { url: fakeUrl, shortCircuit: true };
  return next(specifier, context);
}

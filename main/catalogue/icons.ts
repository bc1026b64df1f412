/**
 * Template icons: a built-in name or an inline SVG. The built-in ones are
 * simple shapes of our own (not the projects' logos), 24×24, in currentColor.
 */
const svg = (body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

export const BUILTIN_ICONS: Readonly<Record<string, string>> = {
  // A notebook page with an orbit: interactive notebooks.
  jupyterhub: svg(
    '<rect x="5" y="3" width="14" height="18" rx="2"/><ellipse cx="12" cy="12" rx="6" ry="2.5"/><circle cx="12" cy="12" r="1.2"/>',
  ),
  // One node fanning out to three: a scheduler and its workers.
  dask: svg(
    '<circle cx="12" cy="5" r="2"/><circle cx="5" cy="19" r="2"/><circle cx="12" cy="19" r="2"/><circle cx="19" cy="19" r="2"/><path d="M12 7v10M11 6.7 6 17.3M13 6.7l5 10.6"/>',
  ),
  // A stack of disks: object storage.
  minio: svg(
    '<ellipse cx="12" cy="5" rx="7" ry="2.5"/><path d="M5 5v14c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5V5"/><path d="M5 12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5"/>',
  ),
  // Notebook, compute and storage side by side.
  'analysis-facility': svg(
    '<rect x="2.5" y="4" width="6" height="8" rx="1"/><circle cx="16" cy="8" r="3.5"/><ellipse cx="12" cy="16.5" rx="5" ry="1.8"/><path d="M7 16.5v2.7c0 1 2.2 1.8 5 1.8s5-.8 5-1.8v-2.7"/>',
  ),
  generic: svg('<rect x="3" y="3" width="18" height="18" rx="3"/><path d="M8 12h8M12 8v8"/>'),
};

/** Why an icon value is unusable, or undefined when it is a built-in name or an inline SVG. */
export function iconProblem(icon: string): string | undefined {
  if (Object.hasOwn(BUILTIN_ICONS, icon)) return undefined;
  if (/^\s*<svg[\s>]/.test(icon) && /<\/svg>\s*$/.test(icon)) return undefined;
  return `icon ${JSON.stringify(icon.length > 40 ? `${icon.slice(0, 40)}…` : icon)} is neither a built-in icon (${Object.keys(BUILTIN_ICONS).join(', ')}) nor an inline <svg>…</svg>`;
}

/**
 * The SVG markup to show for a template. Inline SVG comes from a template
 * author: show it as an image (data: URL or <img>), never inject it as HTML.
 */
export function iconSvg(icon: string | undefined): string {
  if (icon === undefined) return BUILTIN_ICONS.generic ?? '';
  return BUILTIN_ICONS[icon] ?? (iconProblem(icon) === undefined ? icon : (BUILTIN_ICONS.generic ?? ''));
}

import type { ReactElement } from 'react';

const PATHS: Record<string, ReactElement> = {
  jupyterhub: (
    <g fill="none" stroke="currentColor" strokeWidth="2.5">
      <ellipse cx="24" cy="14" rx="14" ry="4" />
      <ellipse cx="24" cy="34" rx="14" ry="4" />
      <circle cx="24" cy="24" r="4" fill="currentColor" />
    </g>
  ),
  dask: (
    <g fill="currentColor">
      <rect x="8" y="10" width="8" height="28" rx="2" />
      <rect x="20" y="16" width="8" height="22" rx="2" opacity="0.8" />
      <rect x="32" y="22" width="8" height="16" rx="2" opacity="0.6" />
    </g>
  ),
  minio: (
    <g fill="none" stroke="currentColor" strokeWidth="2.5">
      <path d="M10 14h28v8H10zM10 26h28v8H10z" />
      <circle cx="15" cy="18" r="1.5" fill="currentColor" />
      <circle cx="15" cy="30" r="1.5" fill="currentColor" />
    </g>
  ),
  'analysis-facility': (
    <g fill="none" stroke="currentColor" strokeWidth="2.5">
      <circle cx="24" cy="12" r="5" />
      <circle cx="12" cy="34" r="5" />
      <circle cx="36" cy="34" r="5" />
      <path d="M21 16l-6 13M27 16l6 13M17 34h14" />
    </g>
  ),
};

/** A template's icon: an inline SVG data URL from the template, a built-in glyph by name, or a generic box. */
export function TemplateIcon({ icon, name }: { icon?: string | undefined; name: string }): ReactElement {
  if (icon?.startsWith('data:image/') === true) return <img className="template-icon" src={icon} alt="" />;
  const glyph = PATHS[icon ?? ''] ?? PATHS[name] ?? (
    <rect x="10" y="10" width="28" height="28" rx="4" fill="none" stroke="currentColor" strokeWidth="2.5" />
  );
  return (
    <svg className="template-icon" viewBox="0 0 48 48" aria-hidden="true">
      {glyph}
    </svg>
  );
}

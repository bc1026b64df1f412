import type { ReactElement } from 'react';
import { call } from '../client/client';

/** The site's support page, opened in the system browser (the app itself never navigates away). */
export function SupportLink({ url, label }: { url: string; label: string }): ReactElement {
  return (
    <a
      href={url}
      className="support-link"
      data-testid="support-link"
      onClick={(e) => {
        e.preventDefault();
        void call('links.open', { url });
      }}
    >
      {label}
    </a>
  );
}

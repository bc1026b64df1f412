import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useCopy } from './use-copy';

/** A read-only document (YAML, TOSCA) with a copy button. */
export function CodeViewer({ text, label }: { text: string; label: string }): ReactElement {
  const { t } = useTranslation();
  const { copied, copy } = useCopy();
  return (
    <div className="code-viewer">
      <div className="code-toolbar">
        <span className="muted">{t('review.lines', { count: text.split('\n').length })}</span>
        <button type="button" className="button" onClick={() => copy(text)} aria-label={`${t('review.copy')} ${label}`}>
          {copied ? t('review.copied') : t('review.copy')}
        </button>
      </div>
      <pre tabIndex={0} aria-label={label}>
        <code>{text}</code>
      </pre>
    </div>
  );
}

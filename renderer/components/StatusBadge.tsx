import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

export function StatusBadge({ phase, message }: { phase: string; message?: string | undefined }): ReactElement {
  const { t } = useTranslation();
  return (
    <span className={`status status-${phase.toLowerCase()}`} title={message} data-status={phase}>
      {t(`status.${phase}`, { defaultValue: phase })}
    </span>
  );
}

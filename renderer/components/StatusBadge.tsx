import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

/** A deploy that failed or was cancelled reads as such ("Deploy failed"), not as a phase of something that never ran. */
export function StatusBadge({
  phase,
  message,
  operation,
}: {
  phase: string;
  message?: string | undefined;
  operation?: { kind: string; outcome: string } | undefined;
}): ReactElement {
  const { t } = useTranslation();
  const deployEnded = operation?.kind === 'deploy' && (phase === 'Failed' || phase === 'Cancelled') && operation.outcome !== 'succeeded';
  const label = deployEnded
    ? t(phase === 'Failed' ? 'status.deployFailed' : 'status.deployCancelled')
    : t(`status.${phase}`, { defaultValue: phase });
  return (
    <span className={`status status-${phase.toLowerCase()}`} title={message} data-status={phase}>
      {label}
    </span>
  );
}

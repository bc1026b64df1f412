import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { relativeTime } from './relative-time';

/** A time as people read it ("2 minutes ago"), the local date and time on hover; kept current while shown. */
export function RelativeTime({ iso }: { iso: string }): ReactElement {
  const { i18n } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const local = new Date(iso).toLocaleString(i18n.language);
  return (
    <time dateTime={iso} title={local}>
      {relativeTime(iso, i18n.language, now)}
    </time>
  );
}

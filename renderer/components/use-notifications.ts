/** Turns the contract's events into desktop notifications (renderer/client/notifications.ts), in the user's language. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { call, subscribe } from '../client/client';
import { NoticeRules, type Notice } from '../client/notice-rules';
import { setShell, showNotification } from '../client/notifications';
import { useSay } from '../i18n/say';

export function useNotifications(): void {
  const { t } = useTranslation();
  const say = useSay();
  useEffect(() => {
    let live = true;
    void call('app.info', {}).then(
      (info) => live && setShell(info.shell),
      () => undefined,
    );
    const rules = new NoticeRules();
    const names = new Map<string, string>();
    const nameOf = async (id: string): Promise<string> =>
      names.get(id) ??
      (await call('environments.get', { id }).then(
        (d) => d.summary.name,
        () => id,
      ));
    const show = async (notice: Notice): Promise<void> => {
      const name = await nameOf(notice.environmentId);
      if (notice.kind === 'ready') showNotification(t('notifications.ready', { name }), t('notifications.readyBody'));
      else if (notice.kind === 'failed')
        showNotification(t(`notifications.failed.${notice.what}`, { name }), say({ ...notice, text: notice.message }));
      else showNotification(t('notifications.degraded', { name }), say({ ...notice, text: notice.message }));
    };
    const stop = subscribe((event) => {
      if (event.type === 'environments.batch') for (const d of event.deltas) names.set(d.environmentId, d.name);
      for (const notice of rules.notices(event)) void show(notice);
    });
    return () => {
      live = false;
      stop();
    };
  }, [t, say]);
}

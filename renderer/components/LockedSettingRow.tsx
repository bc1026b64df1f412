import type { ReactElement } from 'react';
import type { ProfileView } from '../../main/api';
import { useTranslation } from 'react-i18next';
import { useRequest } from '../client/use-request';
import { localDetail } from '../i18n/template-text';

type Lock = NonNullable<ProfileView['active']>['lockedSettings'][number];

/** A locked setting named as the form names it ("Home folder size", not `userStorage`); the key stays in the tooltip for site admins. */
export function LockedSettingRow({ lock }: { lock: Lock }): ReactElement {
  const { i18n } = useTranslation();
  const fetched = useRequest('templates.get', { name: lock.template });
  const detail = fetched.data === undefined ? undefined : localDetail(fetched.data, i18n.language);
  const title = detail?.card.title ?? lock.template;
  const parameter = detail?.parameters.find((p) => p.name === lock.param)?.title ?? lock.param;
  return (
    <tr data-lock={`${lock.template}.${lock.param}`}>
      <td title={lock.template}>{title}</td>
      <td title={lock.param}>{parameter}</td>
      <td>
        <code>{String(lock.value)}</code>
      </td>
      <td>{lock.reason}</td>
    </tr>
  );
}

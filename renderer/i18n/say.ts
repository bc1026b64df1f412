/**
 * Puts what the core said (an id and parameters, main/messages) in the
 * user's language from the catalogues' `core` section; a message whose id
 * the catalogues lack (a newer core) shows its English text.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { MessageParams } from '../../main/api';

/** A core message, or an error shape (whose English is `message`). */
export interface Said {
  id?: string | undefined;
  params?: MessageParams | undefined;
  text?: string;
  message?: string;
}

export function sayWith(i18n: I18n, said: Said): string {
  const english = said.text ?? said.message ?? '';
  if (said.id === undefined) return english;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(said.params ?? {})) params[name] = typeof value === 'object' ? sayWith(i18n, value) : value;
  // With its parameters: a sentence with plural forms (x_one, x_other) exists only for a count.
  if (!i18n.exists(`core.${said.id}`, params)) return english;
  return i18n.t(`core.${said.id}`, params);
}

/** An environment's status message in the user's language; one stored before statuses were messages (no id) shows as it was written. */
export function statusMessage(
  say: (said: Said) => string,
  status: { message?: string | undefined; id?: string | undefined; params?: MessageParams | undefined },
): string | undefined {
  return status.message === undefined ? undefined : say({ id: status.id, params: status.params, text: status.message });
}

/** `say(message)` in the language the app shows now. */
export function useSay(): (said: Said) => string {
  const { i18n } = useTranslation();
  return useCallback((said: Said) => sayWith(i18n, said), [i18n]);
}

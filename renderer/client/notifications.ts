/**
 * Desktop notifications when an environment becomes Ready or fails, decided
 * here so their words come from the catalogues: Electron's shell shows them
 * from its main process (app.notify); the browser preview uses the Web
 * Notifications API, whose permission is asked once, at the user's first
 * deploy (a click), never at load.
 */
import { call } from './client';

export type Shell = 'electron' | 'browser-preview';
const ASKED_KEY = 'afp.notifications.asked';

let shell: Shell | undefined;

export function setShell(which: Shell): void {
  shell = which;
}

/** In a click handler (the browser wants a user gesture): asks for permission the first time only. */
export function askNotificationPermissionOnce(): void {
  if (shell !== 'browser-preview' || !('Notification' in window) || Notification.permission !== 'default') return;
  if (localStorage.getItem(ASKED_KEY) !== null) return;
  localStorage.setItem(ASKED_KEY, new Date().toISOString());
  void Notification.requestPermission();
}

export function showNotification(title: string, body: string): void {
  if (shell === 'electron') {
    void call('app.notify', { title: title.slice(0, 200), body: body.slice(0, 1000) }).catch(() => undefined);
    return;
  }
  if ('Notification' in window && Notification.permission === 'granted') new Notification(title, { body });
}

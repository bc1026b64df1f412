/**
 * The sign-in page's and account menu's words, English and Italian, until
 * they move into renderer/i18n. `{name}` placeholders are filled by `fill`.
 */
const en = {
  title: 'Sign in',
  subtitle: 'with {provider}',
  noProvider: 'No identity provider is set for this site: the site profile needs an auth section (issuer and client id).',
  browser: 'Sign in with your browser',
  browserHelp: 'Opens the sign-in page of your organisation in your usual browser.',
  device: 'Use a code on another device',
  deviceHelp: 'For when no browser can open here: sign in on your phone or another computer.',
  waitingBrowser: 'Finish signing in in your browser. This page updates by itself.',
  browserFallback: 'Browser did not open?',
  openAgain: 'Open the sign-in page again',
  copyAddress: 'Copy its address',
  copied: 'Address copied',
  deviceStep: 'On any device, open {uri} and enter this code:',
  deviceDirect: 'Or open the page with the code filled in',
  deviceExpires: 'The code works until {time}.',
  waitingDevice: 'Waiting for you to confirm…',
  cancel: 'Cancel',
  signedInAs: 'Signed in as {name}',
  needsLogin: 'Your sign-in has ended. Sign in again to continue.',
  notAllowed: 'You are signed in, but not in {groups}, which this site requires to deploy. Ask your site to add you.',
  lastError: 'The last sign-in did not complete:',
  account: 'Account',
  notSignedIn: 'Not signed in',
  signIn: 'Sign in',
  signInAgain: 'Sign in again',
  signOut: 'Sign out',
  groups: 'Groups',
  noGroups: 'no groups',
  email: 'Email',
  username: 'User name',
  expires: 'Access token valid until {time}; it renews by itself.',
  provider: 'Identity provider',
  anyOf: 'any of {groups}',
} as const;

export type SignInStrings = { readonly [K in keyof typeof en]: string };

const it: SignInStrings = {
  title: 'Accedi',
  subtitle: 'con {provider}',
  noProvider:
    'Per questo sito non è impostato alcun provider di identità: il profilo del sito deve avere una sezione auth (issuer e client id).',
  browser: 'Accedi con il browser',
  browserHelp: 'Apre la pagina di accesso della tua organizzazione nel browser che usi di solito.',
  device: 'Usa un codice su un altro dispositivo',
  deviceHelp: 'Se qui non si può aprire un browser: accedi dal telefono o da un altro computer.',
  waitingBrowser: 'Completa l’accesso nel browser. Questa pagina si aggiorna da sola.',
  browserFallback: 'Il browser non si è aperto?',
  openAgain: 'Riapri la pagina di accesso',
  copyAddress: 'Copia l’indirizzo',
  copied: 'Indirizzo copiato',
  deviceStep: 'Da un qualsiasi dispositivo apri {uri} e inserisci questo codice:',
  deviceDirect: 'Oppure apri la pagina con il codice già inserito',
  deviceExpires: 'Il codice vale fino alle {time}.',
  waitingDevice: 'In attesa della tua conferma…',
  cancel: 'Annulla',
  signedInAs: 'Accesso eseguito come {name}',
  needsLogin: 'La tua sessione è terminata. Accedi di nuovo per continuare.',
  notAllowed:
    'Hai eseguito l’accesso, ma non fai parte di {groups}, richiesto da questo sito per il deploy. Chiedi al tuo sito di aggiungerti.',
  lastError: 'L’ultimo accesso non è andato a buon fine:',
  account: 'Account',
  notSignedIn: 'Accesso non eseguito',
  signIn: 'Accedi',
  signInAgain: 'Accedi di nuovo',
  signOut: 'Esci',
  groups: 'Gruppi',
  noGroups: 'nessun gruppo',
  email: 'Email',
  username: 'Nome utente',
  expires: 'Token di accesso valido fino alle {time}; si rinnova da solo.',
  provider: 'Provider di identità',
  anyOf: 'uno tra {groups}',
};

export const SIGN_IN_STRINGS: Readonly<Record<'en' | 'it', SignInStrings>> = { en, it };

export function signInStrings(language: string): SignInStrings {
  return language.startsWith('it') ? it : en;
}

export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

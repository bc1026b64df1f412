import type { Messages } from './en';

type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

export const it: Translation<Messages> = {
  app: { name: 'AF Provisioner', skip: 'Vai al contenuto' },
  nav: { catalogue: 'Catalogo', environments: 'Ambienti', settings: 'Impostazioni', main: 'Navigazione principale', signIn: 'Accedi', notSignedIn: 'Accesso non effettuato' },
  catalogue: {
    title: 'Catalogo',
    subtitle: 'Scegli un ambiente da avviare sul tuo cluster.',
    components: 'Componenti',
    version: 'Versione {{version}}',
    source: { 'built-in': 'Predefinito', site: 'Modello del sito' },
    configure: 'Configura',
    brokenTitle: 'Impossibile caricare questo modello',
    empty: 'Nessun modello trovato.',
    loading: 'Caricamento dei modelli…',
  },
  environments: { title: 'Ambienti', empty: 'Non hai ancora ambienti. Scegline uno dal Catalogo per avviarlo.' },
  settings: {
    title: 'Impostazioni',
    language: 'Lingua',
    theme: 'Aspetto',
    themes: { system: 'Segui il sistema', light: 'Chiaro', dark: 'Scuro' },
    languages: { en: 'English', it: 'Italiano' },
    about: 'Informazioni',
    shell: { electron: 'App desktop', 'browser-preview': 'Anteprima nel browser' },
  },
  errors: { retry: 'Riprova', unavailable: "L'app non è raggiungibile." },
};

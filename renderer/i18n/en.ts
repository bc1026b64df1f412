export const en = {
  app: { name: 'AF Provisioner', skip: 'Skip to content' },
  nav: { catalogue: 'Catalogue', environments: 'Environments', settings: 'Settings', main: 'Main navigation', signIn: 'Sign in', notSignedIn: 'Not signed in' },
  catalogue: {
    title: 'Catalogue',
    subtitle: 'Choose an environment to launch on your cluster.',
    components: 'Components',
    version: 'Version {{version}}',
    source: { 'built-in': 'Built-in', site: 'Site template' },
    configure: 'Configure',
    brokenTitle: 'This template could not be loaded',
    empty: 'No templates were found.',
    loading: 'Loading templates…',
  },
  environments: { title: 'Environments', empty: 'You have no environments yet. Pick one in the Catalogue to launch it.' },
  settings: {
    title: 'Settings',
    language: 'Language',
    theme: 'Appearance',
    themes: { system: 'Follow the system', light: 'Light', dark: 'Dark' },
    languages: { en: 'English', it: 'Italiano' },
    about: 'About',
    shell: { electron: 'Desktop app', 'browser-preview': 'Browser preview' },
  },
  errors: { retry: 'Try again', unavailable: 'The app is not reachable.' },
} as const;

export type Messages = typeof en;

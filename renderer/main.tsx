import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Settings } from '../main/api';
import { App } from './App';
import { ApiError, call } from './client/client';
import { queryClient } from './client/query-client';
import { initI18n } from './i18n';
import './styles.css';

async function start(): Promise<void> {
  let settings: Settings = { language: navigator.language.startsWith('it') ? 'it' : 'en', theme: 'system' };
  let startupError: ApiError | undefined;
  try {
    settings = await call('settings.get', {});
  } catch (error) {
    startupError = error instanceof ApiError ? error : new ApiError('internal', String(error));
  }
  initI18n(settings.language);
  const root = document.getElementById('root');
  if (root === null) return;
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App initialSettings={settings} {...(startupError === undefined ? {} : { startupError })} />
      </QueryClientProvider>
    </StrictMode>,
  );
}

void start();

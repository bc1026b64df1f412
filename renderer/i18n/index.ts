import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { it } from './it';

export function initI18n(language: string): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, it: { translation: it } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  return i18next;
}

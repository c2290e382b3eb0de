// i18next setup for the package's translate() helper, which calls i18next's
// global `t('<namespace>:<key>')`. Only English ships with the package.
import i18next from 'i18next';
import { i18nNamespaces } from '@temporalio/ui/i18n/index';
import resources from '@temporalio/ui/i18n/locales/index';

export function initI18n() {
  if (i18next.isInitialized) return;
  i18next.init({
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: ['en'],
    ns: i18nNamespaces,
    defaultNS: 'common',
    resources,
    initImmediate: false, // resources are inline: initialise synchronously
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

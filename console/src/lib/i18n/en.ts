/** The console's words in English. Codes under `kind.CODE`; the supervisor's pages merge theirs in. */
import { codesEn } from './codes-en';
import { carrierWords } from './domain-names';
import { consoleEn } from './console-en';
import { problemsEn } from './problems-en';
import { supervisorEn } from './supervisor-en';
import { whatIfEn } from './whatif-en';

const base: Record<string, string> = {
  'app.title': 'After-sales console',
  'app.skip': 'Skip to the content',
  'nav.label': 'Main',
  'nav.queue': 'Queue',
  'nav.warehouse': 'Warehouse',
  'nav.supervisor': 'Supervisor',
  'nav.admin': 'Admin',
  'nav.signOut': 'Sign out',
  'nav.language': 'Language',
  'lang.en': 'English',
  'lang.zh-CN': '中文',
  // The customer's language, in the reader's (the switcher above names each language in its own).
  'customerLang.en': 'English',
  'customerLang.zh-CN': 'Chinese',
  'session.as': 'Signed in as {who}',
  'session.allMerchants': 'all merchants',
  'common.loading': 'Loading…',
  'common.error': 'Something went wrong',
  'common.retry': 'Try again',
  'common.none': 'None',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.all': 'All',
  'common.any': 'Any',
  'common.submit': 'Submit',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.required': 'Required',
  'common.live': 'Live updates on',
  'common.offline': 'Live updates reconnecting…',
  'common.notFound': 'Nothing here',
  'error.notFound': 'No such page',
  'error.notFoundText': 'The console has no page at this address: the link may be mistyped or out of date.',
  'error.failed': 'This page could not be shown',
  'error.failedText': 'Something went wrong while opening it. Reload the page; if it happens again, tell your administrator.',
  'error.back': 'Back to the queue',
  'common.back': 'Back',
  'signIn.title': 'Sign in',
  'signIn.ended': 'Your key is no longer accepted (it was revoked or has expired), so you were signed out. What you sent last was not recorded: sign in with a valid key and do it again.',
  'signIn.intro': 'Paste the API key you were given. It is kept in this tab only and forgotten when the tab closes.',
  'signIn.key': 'API key',
  'signIn.submit': 'Sign in',
  'signIn.checking': 'Checking…',
  'signIn.empty': 'Enter an API key.',
  'signIn.badKey': 'This key is not accepted: it is unknown, has expired or was revoked. Check that you pasted the whole key, or ask your administrator for a new one.',
  'signIn.needed': 'Please sign in.',
  'role.AGENT': 'Agent',
  'role.SUPERVISOR': 'Supervisor',
  'role.ADMIN': 'Administrator',
  'role.WAREHOUSE': 'Warehouse',
  'role.STOREFRONT': 'Storefront',
  'role.CUSTOMER': 'Customer',
  'role.COURIER': 'Courier',
};

export const en: Record<string, string> = { ...base, ...codesEn, ...consoleEn, ...supervisorEn, ...carrierWords('en'), ...whatIfEn, ...problemsEn };

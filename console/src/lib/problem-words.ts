/**
 * The API's refusals in the reader's words. The API answers in English (`message`, and each
 * problem's `reason` with the field it names); a reader whose dictionary has words for a refusal
 * reads a sentence built from its code, status and fields — what went wrong and what to do — with
 * the API's own words kept as a detail line. A reader whose dictionary has none (English) reads the
 * API's words as before.
 *
 * Pure (the dictionary comes in as `Words`): problem-text.ts binds it to the console's i18n, and
 * tests bind it to a dictionary of their own.
 */

/** What a refusal is made of (an `ApiProblem`). */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  problems: ReadonlyArray<{ field: string; reason: string }>;
}

export interface Words {
  /** The reader's words for `key` with `{name}`s filled, or undefined when their dictionary has none. */
  say(key: string, params?: Record<string, string | number>): string | undefined;
  /** A field's name in the reader's words (`quantity` → 数量), or undefined. */
  field(name: string): string | undefined;
  /** A stage's name in the reader's words. */
  stage(code: string): string;
}

export interface ProblemText {
  /** The sentence to show. */
  text: string;
  /** The API's own words, shown under it when the sentence is not them. */
  detail?: string;
}

/**
 * The reasons the API gives for a field (api/validation-problems.ts, the domain's checks), each with
 * the key of its words; the groups fill `{a}`, `{b}`.
 */
const REASONS: Array<[RegExp, string]> = [
  [/^is required\b/, 'problem.reason.required'],
  [/^must not be empty\b/, 'problem.reason.empty'],
  [/^must not be blank$/, 'problem.reason.blank'],
  [/^must be at most (\d+) characters$/, 'problem.reason.maxLength'],
  [/^must be at least (\d+) characters$/, 'problem.reason.minLength'],
  [/^must be a whole number ≥ (\d+)/, 'problem.reason.wholeAtLeast'],
  [/^must be a whole number of minor units ≥ (\d+)/, 'problem.reason.moneyAtLeast'],
  [/^must be a whole number of days from (\d+) to (\d+)/, 'problem.reason.betweenDays'],
  [/^must be a whole number from (\d+) to (\d+)/, 'problem.reason.between'],
  [/^must be a number of hours above 0, at most ([\d.]+)/, 'problem.reason.hoursAtMost'],
  [/^must be a number of days above 0, at most ([\d.]+)/, 'problem.reason.daysAtMost'],
  [/^reads as .+?: send epoch milliseconds, of a time since 2000/, 'problem.reason.before2000'],
  [/^must not contain bidirectional control characters\b/, 'problem.reason.bidi'],
  [/^must not contain characters that show as nothing\b/, 'problem.reason.invisible'],
  [/^must be a whole number of grams ≥ (\d+)/, 'problem.reason.gramsAtLeast'],
  [/^must be (?:greater than|more than) (\d+)/, 'problem.reason.greaterThan'],
  [/^must be at most (\d+)/, 'problem.reason.atMost'],
  [/^must be (?:a date YYYY-MM-DD|an ISO date)/, 'problem.reason.date'],
  [/^must be a month YYYY-MM/, 'problem.reason.month'],
  [/^must be an epoch time in milliseconds$/, 'problem.reason.time'],
  [/^must be a time in epoch milliseconds\b/, 'problem.reason.epochMs'],
  [/^must be a date and time with its zone\b/, 'problem.reason.dateTime'],
  [/^must be true or false\b/, 'problem.reason.yesNo'],
  [/^must be an http\(s\) URL\b/, 'problem.reason.url'],
  [/^must be a phone number\b/, 'problem.reason.phone'],
  [/^must be the letters, digits and hyphens the label prints\b/, 'problem.reason.trackingNumber'],
  [/^must be a carrier's code\b/, 'problem.reason.carrier'],
  [/^must be a currency code of three capital letters\b/, 'problem.reason.currency'],
  [/^must be 1–64 of the letters A–Z and a–z, digits, _ and -/, 'problem.reason.id'],
  [/^must be 6–64 of the letters A–Z and a–z, digits, _ and -/, 'problem.reason.reference'],
  [/^must have at least (\d+) entries$/, 'problem.reason.minItems'],
  [/^must have at most (\d+) entries$/, 'problem.reason.maxItems'],
  [/^must be (?:APPROVE or REJECT|one of\b)/, 'problem.reason.choice'],
  [/^does not match any of the allowed forms$/, 'problem.reason.choice'],
  [/^is not an allowed property$/, 'problem.reason.notAllowed'],
  // Ajv's own words, for the rules validation-problems.ts passes on as they are.
  [/^must NOT have more than (\d+) characters$/, 'problem.reason.maxLength'],
  [/^must NOT have more than (\d+) items$/, 'problem.reason.maxItems'],
  [/^must NOT have fewer than (\d+) items$/, 'problem.reason.minItems'],
  [/^must be >= (-?[\d.]+)$/, 'problem.reason.atLeast'],
  [/^must be <= (-?[\d.]+)$/, 'problem.reason.atMost'],
  [/^must be > (-?[\d.]+)$/, 'problem.reason.greaterThan'],
  [/^must be integer$/, 'problem.reason.integer'],
  [/^must be (?:number|integer,number)$/, 'problem.reason.number'],
  [/^must match format "uri"$/, 'problem.reason.url'],
  [/^must match format "iri"$/, 'problem.reason.url'],
  [/^must match format "date"$/, 'problem.reason.date'],
  [/^must match format "date-time"$/, 'problem.reason.dateTime'],
  [/^must match pattern /, 'problem.reason.pattern'],
  [/^more than the (\d+) ordered$/, 'problem.reason.moreThanOrdered'],
  // A line approved above what was asked, or not whole (workflows/return-refund.ts).
  [/^quantity for \S+ must be (\d+)…(\d+)$/, 'problem.reason.between'],
  [/^(?:unknown SKU )?(\S+?):? (?:is )?not part of order (\S+)$/, 'problem.reason.notInOrder'],
  [/^(?:line )?(\S+) appears twice/, 'problem.reason.twice'],
  [/^a rejection needs a reason$/, 'problem.reason.rejectionReason'],
  [/^is before shippedAt$/, 'problem.reason.beforeShipped'],
  [/^is none of the merchant’s agents or supervisors\b/, 'problem.reason.notAnAgent'],
  // A parcel handed to another carrier than the case chose (api/routes/exchanges.ts, workflows/exchange.ts).
  [/^the parcel goes with (\S+), not (.+)$/, 'problem.reason.otherCarrier'],
  // A policy's rules (domain/policy.ts, domain/fulfilment/rules.ts, domain/business-calendar.ts):
  // what the publish form and the what-if's candidate hear back. `{a}` naming another rule is put
  // in words by ruleName below.
  [/^must be ≥ (-?[\d.]+)\b/, 'problem.reason.atLeast'],
  [/^must be > (-?[\d.]+)\b/, 'problem.reason.greaterThan'],
  [/^must be at most (\d+) (?:days|hours|percent|per mille)\b/, 'problem.reason.atMost'],
  [/^must be a whole number of (?:days|hours|minor units|percent|per mille), got\b/, 'problem.reason.integer'],
  [/^must be a number of (?:days|hours|minor units|percent|per mille), got\b/, 'problem.reason.number'],
  [/^must not be later than (\w+) \((\d+)\)/, 'problem.reason.notLaterThanRule'],
  [/^must be less than (\w+) \((\d+)/, 'problem.reason.lessThanRule'],
  [/^must not exceed (\w+) \((\d+)\)/, 'problem.reason.notAboveRule'],
  [/^must differ from (\w+)$/, 'problem.reason.differFromRule'],
  [/^must be after open$/, 'problem.reason.afterOpen'],
  // A period's end not after its start (api/routes/root-causes.ts, api/local-days.ts, the what-if's period).
  [/^must be after from\b/, 'problem.reason.afterFrom'],
  [/^must be a local time 'HH:MM'/, 'problem.reason.localTime'],
  [/^must be an IANA time zone\b/, 'problem.reason.timeZone'],
  [/^must name at least one working day$/, 'problem.reason.workingDay'],
  [/^is not a (?:calendar field|contract term|known fulfilment rule|known rule)\b/, 'problem.reason.notAllowed'],
];

/** The reasons whose `{a}` is the name of another rule of the policy (`returnArrivalDays`). */
const NAMES_A_RULE = new Set(['problem.reason.notLaterThanRule', 'problem.reason.lessThanRule', 'problem.reason.notAboveRule', 'problem.reason.differFromRule']);

/** A policy rule's name in the reader's words, as the publish form labels it (its section is not in the reason: tried in turn). */
const ruleName = (name: string, w: Words): string =>
  ['rules', 'fulfilment', 'businessHours', 'contract'].map((section) => w.say(`policy.${section}.${name}`)).find((words) => words !== undefined) ?? w.field(name) ?? name;

/**
 * The API's sentences that say more than their code (workflows/case-machinery.ts, api/rate-limit.ts):
 * the stage a case is at and the one a command needs, the seconds to wait.
 */
const SENTENCES: Array<[code: string, pattern: RegExp, key: string]> = [
  ['WRONG_STATE', /^the case is at stage ([A-Z_]+), not ([A-Z_]+(?: or [A-Z_]+)*)/, 'problem.state.otherStage'],
  ['WRONG_STATE', /^the case at stage ([A-Z_]+) has taken a command already/, 'problem.state.busy'],
  ['WRONG_STATE', /^the case is closed\b/, 'problem.state.closed'],
  ['RATE_LIMITED', /retry in (\d+) s\b/, 'problem.rateLimitedFor'],
];

/** A field's reason in the reader's words, or undefined when the dictionary has no words for it. */
export function reasonText(reason: string, w: Words): string | undefined {
  for (const [pattern, key] of REASONS) {
    const m = pattern.exec(reason);
    if (m) return w.say(key, { a: NAMES_A_RULE.has(key) ? ruleName(m[1] ?? '', w) : (m[1] ?? ''), b: m[2] ?? '' });
  }
  return undefined;
}

/** `body.lines[0].quantity` → 数量（第 1 行）: the last name in the path, in words where known, and which line. */
export function fieldText(path: string, w: Words): string {
  const names = path.replace(/^(body|querystring|params|headers)\.?/, '').match(/[A-Za-z_][\w-]*/g) ?? [];
  const name = names.at(-1) ?? path;
  const line = /\[(\d+)\](?!.*\[\d+\])/.exec(path);
  const words = w.field(name) ?? name;
  return line ? (w.say('problem.line', { field: words, n: Number(line[1]) + 1 }) ?? words) : words;
}

/** What the API said about one field, in the reader's words: the reason's own words, else a "please change" with the API's. */
export function aboutOne(reason: string, w: Words): string {
  return reasonText(reason, w) ?? w.say('problem.reason.other', { reason }) ?? reason;
}

/** The problems at `field` or inside it (`body.rootCause` holds `body.rootCause.category`). */
const at = (problems: Refusal['problems'], field: string) => problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));

/** What to show next to a form's field: the API's reasons for it in the reader's words (undefined when none). */
export function aboutText(p: Refusal, field: string, w: Words): string | undefined {
  const hits = at(p.problems, field);
  if (!hits.length) return undefined;
  const sep = w.say('problem.separator') ?? '; ';
  return hits.map((h) => aboutOne(h.reason, w)).join(sep);
}

/** The sentence for a refusal as a whole: by its code, else by its status; undefined when the reader's dictionary has neither. */
function codeSentence(p: Refusal, w: Words): string | undefined {
  for (const [code, pattern, key] of SENTENCES) {
    const m = code === p.code ? pattern.exec(p.message) : null;
    if (!m) continue;
    const [, a = '', b = ''] = m;
    const stages: Record<string, string> = code === 'WRONG_STATE' ? { stage: a ? w.stage(a) : '', expected: b.split(' or ').filter(Boolean).map(w.stage).join(w.say('problem.or') ?? ' or ') } : {};
    const said = w.say(key, { a, b, ...stages });
    if (said) return said;
  }
  const status = p.status >= 500 ? '5xx' : String(p.status);
  return w.say(`problem.code.${p.code}`) ?? w.say(`problem.status.${status}`) ?? w.say('problem.other');
}

/** A refusal in the reader's words: its sentence, each field's problem (`数量（第 1 行）：必须是不小于 1 的整数`), and the API's words as detail. */
export function problemText(p: Refusal, w: Words): ProblemText {
  const sentence = codeSentence(p, w);
  if (sentence === undefined) return { text: p.message };
  const fields = p.problems.map((q) => w.say('problem.fieldSaid', { field: fieldText(q.field, w), reason: aboutOne(q.reason, w) }) ?? `${q.field}: ${q.reason}`);
  const text = fields.length ? `${sentence}${w.say('problem.listStart') ?? ' '}${fields.join(w.say('problem.separator') ?? '; ')}` : sentence;
  return { text, detail: p.message && p.message !== text ? p.message : undefined };
}

/** What to show above a form: undefined when every problem names one of its `fields` (each is shown next to its own), else the refusal in words. */
export function generalText(p: Refusal, fields: string[], w: Words): ProblemText | undefined {
  const named = p.problems.filter((q) => fields.some((f) => at([q], f).length > 0));
  if (named.length > 0 && named.length === p.problems.length) return undefined;
  return problemText(p, w);
}

/**
 * A form's state against the API: busy while sending, the API's message for each field it names
 * (shown next to that field), a general message for the rest, and a success note — in the reader's
 * words (problem-text.ts), the API's own words kept as the general message's detail.
 */
import { ApiProblem } from './api';
import { t } from './i18n';
import { sayAbout, sayGeneral } from './problem-text';

export class FormState {
  busy = $state(false);
  errors = $state<Record<string, string | undefined>>({});
  general = $state<string | undefined>();
  /** The API's own words under the general message, when that is not them. */
  generalDetail = $state<string | undefined>();
  /**
   * The success note, said when read: in the language chosen at that moment (the page's words follow
   * a switch of language, and the note under them follows too). Set it with words or clear it.
   */
  #said = $state<(() => string) | undefined>();
  get done(): string | undefined {
    return this.#said?.();
  }
  set done(words: string | undefined) {
    this.#said = words === undefined ? undefined : () => words;
  }

  /**
   * `fields`: the form's fields as the API names them (`body.reason`), keyed by the form's own name.
   * `reword`: the form's own words for a reason the API gives (one that needs what only the form
   * knows, such as the case's currency), or undefined to say it as any other.
   */
  constructor(
    private readonly fields: Record<string, string>,
    private readonly reword?: (reason: string) => string | undefined,
  ) {}

  /** The form's own words for every reason the API gave at `apiField`, or undefined when it has none for one of them. */
  #reworded(err: ApiProblem, apiField: string): string | undefined {
    if (!this.reword) return undefined;
    const hits = err.problems.filter((p) => p.field === apiField || p.field.startsWith(`${apiField}.`) || p.field.startsWith(`${apiField}[`));
    const said = hits.map((p) => this.reword!(p.reason));
    return hits.length && said.every((w) => w !== undefined) ? said.join(' ') : undefined;
  }

  /** Checks made in the form before anything is sent: name → message (or undefined when fine). Returns whether all passed. */
  check(problems: Record<string, string | undefined>): boolean {
    this.errors = problems;
    this.general = undefined;
    this.generalDetail = undefined;
    this.done = undefined;
    return Object.values(problems).every((p) => !p);
  }

  /** The person has changed field `name`: its message from the last check no longer stands (it would sit beside a valid choice). */
  fixed(name: string): void {
    if (this.errors[name]) this.errors = { ...this.errors, [name]: undefined };
  }

  /**
   * Sends, and says `success` when it went through: a function (of the API's answer, when the answer
   * changes what is said), called each time the note is shown, so that it speaks the reader's
   * current language (`() => t('form.sent')`); plain words stay as they are.
   */
  async run<R>(send: () => Promise<R>, success: string | ((answer: R) => string)): Promise<boolean> {
    this.busy = true;
    this.general = undefined;
    this.generalDetail = undefined;
    this.done = undefined;
    try {
      const answer = await send();
      this.errors = {};
      this.#said = typeof success === 'string' ? () => success : () => success(answer);
      return true;
    } catch (err) {
      if (err instanceof ApiProblem) {
        const errors: Record<string, string | undefined> = {};
        for (const [name, apiField] of Object.entries(this.fields)) errors[name] = this.#reworded(err, apiField) ?? sayAbout(err, apiField);
        this.errors = errors;
        const general = sayGeneral(err, Object.values(this.fields));
        this.general = general?.text;
        this.generalDetail = general?.detail;
      } else {
        this.general = t('common.error');
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Attributes for an input: invalid state and the id of its message. */
  aria(name: string, id: string) {
    return this.errors[name] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-error` } : {};
  }
}

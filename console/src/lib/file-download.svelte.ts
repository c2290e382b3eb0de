/**
 * A file the API answers (the register, the ledger), saved on a button's press: busy while it
 * comes, then the name it was saved under or what went wrong, in the reader's words.
 */
import { downloadFile } from './download';
import { problemLine } from './problem-text';

export class FileDownload {
  busy = $state(false);
  saved = $state<string | null>(null);
  error = $state<string | null>(null);

  async run(path: string, fallbackName: string): Promise<void> {
    this.busy = true;
    this.saved = null;
    this.error = null;
    try {
      this.saved = await downloadFile(path, fallbackName);
    } catch (err) {
      this.error = problemLine(err);
    } finally {
      this.busy = false;
    }
  }
}

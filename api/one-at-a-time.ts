/**
 * Runs work one at a time per key within this process, in the order it arrives; different keys run
 * side by side. For work that reads and then writes what the read decided: an opening reads the
 * order's earlier cases and then writes its own row, so two openings of the same goods at the same
 * instant (a double click without an Idempotency-Key) would both read before either wrote, and both
 * pass the goods check (api/open-case.ts, per order). Likewise two scans of one parcel
 * (api/routes/cases.ts, per case) and two taps on "complain" (api/routes/complaints.ts, per case).
 * Taken per key, this costs no statement. It holds for one API process — the embedded platform; API processes side by side
 * (several replicas of the `api` service) can still open both, and the refund caps, locked per
 * order in the database, still keep the money from being paid twice.
 */
export class OneAtATime {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** `work` is told whether it waited for work of the same key (what it read before may be stale). */
  run<T>(key: string, work: (waited: boolean) => Promise<T>): Promise<T> {
    const queued = this.tails.get(key);
    const before = queued ?? Promise.resolve();
    const go = () => work(!!queued);
    // After the one before, whether it succeeded or failed.
    const mine = before.then(go, go);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return mine;
  }

  /** Keys with work running or queued (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

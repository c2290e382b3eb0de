/**
 * How every benchmark reports a figure: a line of the table it prints, and a machine-readable
 * line (`RESULT\t{json}`) that `npm run bench` (bench/run-all.ts) gathers into one table.
 */
export interface Result {
  figure: string;
  measured: string;
  goal?: string;
  /** The figure over its baseline from the same run, where there is one. */
  ratio?: string;
  pass?: boolean;
}

export function report(results: Result[], title: string): void {
  console.log(`\n${title}\n`);
  console.log('| figure | measured | ratio | goal | |\n| --- | --- | --- | --- | --- |');
  for (const r of results) console.log(`| ${r.figure} | ${r.measured} | ${r.ratio ?? ''} | ${r.goal ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL'} |`);
  for (const r of results) console.log(`RESULT\t${JSON.stringify(r)}`);
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};
export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

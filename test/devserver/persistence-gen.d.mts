export interface GenerateOptions {
  closed: number;
  open?: number;
  closedBefore?: number;
  spanDays?: number;
  openFireAt?: number;
  prefix?: string;
  suffix?: Buffer;
  now?: number;
}
export function generateLog(file: string, options: GenerateOptions): number;
export function closedWorkflowId(prefix: string, i: number): string;
export function openWorkflowId(prefix: string, i: number): string;

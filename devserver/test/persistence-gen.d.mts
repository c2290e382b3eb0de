export interface GenerateOptions {
  closed: number;
  open?: number;
  closedBefore?: number;
  spanDays?: number;
  openFireAt?: number;
  prefix?: string;
  suffix?: Buffer;
  now?: number;
  /** Events as protobuf bytes in base64, as the server writes them (default), or as objects (logs from before). */
  format?: 'bytes' | 'objects';
}
export function generateLog(file: string, options: GenerateOptions): number;
export function closedWorkflowId(prefix: string, i: number): string;
export function openWorkflowId(prefix: string, i: number): string;

import Table from 'cli-table3';
import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

export function makeColors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}

/** Colour only for a terminal, and never with NO_COLOR set (any value) or --no-color. */
export function colorEnabled(options: {
  isTTY: boolean | undefined;
  env: Record<string, string | undefined>;
  flag: boolean;
}): boolean {
  return Boolean(options.isTTY) && options.flag && options.env.NO_COLOR === undefined;
}

/** One table cell: absent values show as `-`, lists joined, objects as JSON. */
export function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map((item) => cell(item)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** A borderless table: readable in a terminal, and plain text (no escapes) when colour is off. */
export function renderTable<T>(columns: Column<T>[], rows: T[], colors: Colors): string {
  const table = new Table({
    head: columns.map((column) => colors.bold(column.header)),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(columns.map((column) => cell(column.value(row))));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** One record as `key  value` lines, for `get` commands. */
export function renderRecord(record: Record<string, unknown>, colors: Colors): string {
  const entries = Object.entries(record);
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${colors.dim(key.padEnd(width))}  ${cell(value)}`).join('\n');
}

/** Status words in the colour people expect: green done, yellow waiting, red given up. */
export function paintStatus(status: string, colors: Colors): string {
  switch (status) {
    case 'succeeded':
    case 'delivered':
      return colors.green(status);
    case 'retrying':
    case 'running':
    case 'pending':
      return colors.yellow(status);
    case 'failed':
    case 'timed_out':
    case 'cancelled':
      return colors.red(status);
    default:
      return status;
  }
}

export type OutputFormat = 'table' | 'json';

/** Prints a reply: JSON as is (parsable, one document), or a table of `columns` from `rows`. */
export function print(format: OutputFormat, reply: unknown, table?: { rows: Array<Record<string, unknown>>; columns: string[] }): void {
  if (format === 'json' || !table) {
    process.stdout.write(JSON.stringify(reply, null, 2) + '\n');
    return;
  }
  process.stdout.write(renderTable(table.rows, table.columns));
}

export function renderTable(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd() + '\n';
  return line(columns.map((c) => c.toUpperCase())) + cells.map(line).join('') + (rows.length === 0 ? '(none)\n' : '');
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A progress bar on stderr, only when stderr is a terminal (pipes and CI logs stay clean). */
export function progressBar(label: string): { update(done: number, total: number): void; done(): void } {
  const tty = process.stderr.isTTY;
  return {
    update(done, total) {
      if (!tty) return;
      const ratio = total > 0 ? Math.min(done / total, 1) : 0;
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%`);
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

/** An indeterminate spinner on stderr for calls without progress (long analyses), only on a terminal. */
export function spinner(label: string): () => void {
  if (!process.stderr.isTTY) return () => undefined;
  const frames = ['|', '/', '-', '\\'];
  let i = 0;
  const started = Date.now();
  const timer = setInterval(() => process.stderr.write(`\r${label} ${frames[i++ % frames.length]} ${((Date.now() - started) / 1000).toFixed(0)} s`), 200);
  return () => {
    clearInterval(timer);
    process.stderr.write('\r\x1b[K');
  };
}

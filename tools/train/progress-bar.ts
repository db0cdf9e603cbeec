/** A one-line progress bar on stderr: redrawn in place on a terminal, a line per stage (and per 25%) otherwise. */
export class ProgressBar {
  private stage = '';
  private lastQuarter = -1;
  private readonly started = performance.now();

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  /** Reports `done` of `total` steps of `stage`. */
  update(stage: string, done: number, total: number): void {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * this.width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${stage} (${done}/${total}) ${((performance.now() - this.started) / 1000).toFixed(1)}s`;
    if (this.stream.isTTY) {
      if (stage !== this.stage && this.stage !== '') this.stream.write('\n');
      this.stream.write(`\r${line}`);
    } else {
      const quarter = Math.floor(share * 4);
      if (stage !== this.stage || quarter !== this.lastQuarter) this.stream.write(`${line}\n`);
      this.lastQuarter = quarter;
    }
    this.stage = stage;
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.stream.isTTY && this.stage !== '') this.stream.write('\n');
  }
}

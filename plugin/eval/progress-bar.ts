/** A one-line progress bar redrawn in place on a terminal (stderr), or a line per step elsewhere. */
export class ProgressBar {
  private lastLine = '';
  constructor(private readonly out: NodeJS.WriteStream | null, private readonly width = 30) {}

  update(label: string, done: number, total: number): void {
    if (this.out === null) return;
    const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    const filled = Math.round(share * this.width);
    const line = `${'█'.repeat(filled)}${'░'.repeat(this.width - filled)} ${String(Math.round(share * 100)).padStart(3)}% ${label}`;
    if (line === this.lastLine) return;
    if (this.out.isTTY) this.out.write(`\r${line}\x1b[K`);
    else if (label !== this.lastLine.slice(this.width + 6)) this.out.write(`${line}\n`);
    this.lastLine = line;
  }

  done(): void {
    if (this.out?.isTTY === true && this.lastLine !== '') this.out.write('\n');
    this.lastLine = '';
  }
}

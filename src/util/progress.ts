/**
 * Progress for people on stderr: a one-line bar redrawn in place on a TTY, nothing otherwise
 * (logs and CI stay clean). Machines read --json on stdout instead.
 */
export interface Progress {
  tick(detail?: string): void;
  done(): void;
}

export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 1) return { tick() {}, done() {} };
  const started = Date.now();
  let count = 0;
  let lastDraw = 0;
  const draw = (detail: string) => {
    const width = 24;
    const filled = Math.round((count / total) * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? count / seconds : 0;
    const eta = rate > 0 ? Math.round((total - count) / rate) : 0;
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total} ${rate.toFixed(1)}/s eta ${eta}s ${detail}`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
  };
  return {
    tick(detail = '') {
      count++;
      // Redrawing costs a syscall; ten times a second is plenty for a person.
      if (Date.now() - lastDraw > 100 || count === total) {
        lastDraw = Date.now();
        draw(detail);
      }
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}

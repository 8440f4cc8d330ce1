/**
 * Two output channels (STYLE 8): people get progress and summaries on stderr, machines get
 * --json (or the answer itself) on stdout. Commands write through this so tests can capture both.
 */
export interface Output {
  /** stdout: the command's result. */
  result(text: string): void;
  /** stderr: messages for people. */
  info(text: string): void;
}

export const processOutput: Output = {
  result: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  info: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Collects both channels in memory (tests). */
export function memoryOutput(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, result: (t) => stdout.push(t), info: (t) => stderr.push(t) };
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Listens first for SIGINT and SIGTERM, so that the data-dir lock and the embedded server (which
 * also listen) clean up without ending the process: this command ends it, once its run is over.
 */
export function stopOnSignals(log: (line: string) => void): { stop: Promise<string>; dispose(): void } {
  let resolveStop: (reason: string) => void = () => {};
  const stop = new Promise<string>((resolve) => (resolveStop = resolve));
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!received) {
      received = true;
      resolveStop(`received ${signal}`);
      return;
    }
    log(`received ${signal} again: stopping now`);
    dispose();
    process.kill(process.pid, signal);
  };
  const dispose = (): void => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return { stop, dispose };
}

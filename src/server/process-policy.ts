import type { EventEmitter } from 'node:events';

/** Where the policy writes (a pino logger fits). */
export interface PolicyLog {
  error(obj: object, msg: string): void;
  fatal(obj: object, msg: string): void;
}

export interface PolicyOptions {
  log: PolicyLog;
  /** Stops taking requests and flushes what was acknowledged (the server's close). */
  shutdown: () => Promise<void>;
  exit?: (code: number) => void;
  /** How long a clean shutdown may take before the process exits anyway. */
  graceMs?: number;
  proc?: EventEmitter;
}

/**
 * The process-wide policy for errors nobody caught, so one bad event does not end a server that
 * runs for months:
 * - an unhandled rejection is one failed operation (a promise settles once; nothing is left half
 *   way in shared state), so it is logged with its context and the process keeps serving;
 * - an uncaught exception may have left a synchronous update half done, so the process stops
 *   taking requests, finishes and flushes what it acknowledged, and exits with code 1 for the
 *   process manager (systemd, a container runtime) to restart it.
 * Returns a function that removes the policy.
 */
export function installProcessPolicy(o: PolicyOptions): () => void {
  const proc = o.proc ?? process;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let rejections = 0;
  let stopping = false;
  const onRejection = (reason: unknown) => {
    rejections++;
    o.log.error(
      { err: reason instanceof Error ? reason : new Error(String(reason)), rejections },
      'unhandled promise rejection: the operation failed, the process keeps serving',
    );
  };
  const onException = (err: Error, origin?: string) => {
    o.log.fatal({ err, origin }, 'uncaught exception: stopping cleanly, the process manager restarts it');
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => exit(1), o.graceMs ?? 10_000);
    timer.unref?.();
    o.shutdown().then(
      () => {
        clearTimeout(timer);
        exit(1);
      },
      (e: unknown) => {
        o.log.error({ err: e }, 'clean shutdown failed');
        clearTimeout(timer);
        exit(1);
      },
    );
  };
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}

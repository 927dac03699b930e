/** The part of `process` the guard listens to; tests pass an EventEmitter. */
export interface GuardedProcess {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
}

export interface FatalErrorGuardOptions {
  /** Tells the user and the log what happened; it must redact secrets itself. */
  report(kind: 'uncaught exception' | 'unhandled rejection', error: unknown): void;
  /** Says that a clean-up failed or ran out of time. */
  reportCleanUpFailure?(error: unknown): void;
  process?: GuardedProcess;
  exit?: (code: number) => void;
  /** A live set's remux can take a while; past this, the process exits anyway. */
  cleanUpTimeoutMs?: number;
}

export interface FatalErrorGuard {
  /** Adds a clean-up (end the live set, close the server) run before the exit; returns a remover. */
  onFatal(cleanUp: () => unknown): () => void;
  /** Stops listening: the command is over and ends by itself. */
  dispose(): void;
}

/** The exit code after an unexpected error. */
export const FATAL_EXIT_CODE = 1;

/**
 * Process-level handlers for the long-running commands (`mixdeck web`, `mixdeck broadcast`): an
 * error nothing caught is reported, then the clean-ups run, newest first — so a live set is
 * ended properly (its MKV remuxed, its tracklist written, its ffmpeg children stopped) — and
 * the process exits non-zero. A second error while cleaning up is reported and does not start
 * the clean-up again.
 */
export function installFatalErrorGuard(options: FatalErrorGuardOptions): FatalErrorGuard {
  const target = options.process ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.cleanUpTimeoutMs ?? 120_000;
  const cleanUps: (() => unknown)[] = [];
  let stopping = false;

  const stop = async (): Promise<void> => {
    const timer = setTimeout(() => {
      options.reportCleanUpFailure?.(new Error(`stopping took longer than ${Math.round(timeoutMs / 1000)} s`));
      exit(FATAL_EXIT_CODE);
    }, timeoutMs);
    for (const cleanUp of [...cleanUps].reverse()) {
      try {
        await cleanUp();
      } catch (error) {
        options.reportCleanUpFailure?.(error);
      }
    }
    clearTimeout(timer);
    exit(FATAL_EXIT_CODE);
  };

  const handler = (kind: 'uncaught exception' | 'unhandled rejection') => (error: unknown) => {
    try {
      options.report(kind, error);
    } catch {
      // Reporting must not keep the process from stopping.
    }
    if (stopping) return;
    stopping = true;
    void stop();
  };
  const onException = handler('uncaught exception');
  const onRejection = handler('unhandled rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);

  return {
    onFatal(cleanUp) {
      cleanUps.push(cleanUp);
      return () => {
        const at = cleanUps.indexOf(cleanUp);
        if (at >= 0) cleanUps.splice(at, 1);
      };
    },
    dispose() {
      target.off('uncaughtException', onException);
      target.off('unhandledRejection', onRejection);
    },
  };
}

/** The first line of an error's message, for the terminal; the log gets the whole error. */
export function describeFatalError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 300) || 'no description';
}

import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { describeFatalError, installFatalErrorGuard } from './process-guard';

function guarded(cleanUpTimeoutMs = 5_000) {
  const target = new EventEmitter();
  const reports: string[] = [];
  const exits: number[] = [];
  const guard = installFatalErrorGuard({
    process: target,
    report: (kind, error) => reports.push(`${kind}: ${describeFatalError(error)}`),
    reportCleanUpFailure: (error) => reports.push(`clean-up failed: ${describeFatalError(error)}`),
    exit: (code) => exits.push(code),
    cleanUpTimeoutMs,
  });
  return { target, reports, exits, guard };
}

describe('installFatalErrorGuard', () => {
  it('reports an uncaught error, runs the clean-ups newest first, then exits non-zero', async () => {
    const { target, reports, exits, guard } = guarded();
    const order: string[] = [];
    guard.onFatal(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('end the live set');
    });
    guard.onFatal(() => order.push('close the server'));
    target.emit('uncaughtException', new Error('statSync failed\n    at internals'));
    await vi.waitFor(() => expect(exits).toEqual([1]));
    expect(order).toEqual(['close the server', 'end the live set']);
    expect(reports).toEqual(['uncaught exception: statSync failed']);
  });

  it('handles a rejected promise the same way, and a second error does not start the clean-up again', async () => {
    const { target, reports, exits, guard } = guarded();
    let runs = 0;
    guard.onFatal(async () => {
      runs += 1;
      target.emit('unhandledRejection', new Error('second'));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    target.emit('unhandledRejection', 'a plain string');
    await vi.waitFor(() => expect(exits).toEqual([1]));
    expect(runs).toBe(1);
    expect(reports).toEqual(['unhandled rejection: a plain string', 'unhandled rejection: second']);
  });

  it('goes on when a clean-up fails, and exits anyway when one never ends', async () => {
    const failing = guarded();
    const after: string[] = [];
    failing.guard.onFatal(() => after.push('older clean-up still ran'));
    failing.guard.onFatal(() => {
      throw new Error('remux failed');
    });
    failing.target.emit('uncaughtException', new Error('boom'));
    await vi.waitFor(() => expect(failing.exits).toEqual([1]));
    expect(after).toEqual(['older clean-up still ran']);
    expect(failing.reports).toContain('clean-up failed: remux failed');

    const stuck = guarded(50);
    stuck.guard.onFatal(() => new Promise(() => undefined));
    stuck.target.emit('uncaughtException', new Error('boom'));
    await vi.waitFor(() => expect(stuck.exits).toEqual([1]));
    expect(stuck.reports.at(-1)).toMatch(/clean-up failed: stopping took longer than/);
  });

  it('listens no more once disposed, and a removed clean-up does not run', async () => {
    const { target, exits, guard } = guarded();
    const ran: string[] = [];
    const remove = guard.onFatal(() => ran.push('removed'));
    remove();
    guard.dispose();
    expect(target.listenerCount('uncaughtException')).toBe(0);
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    expect(ran).toEqual([]);
    expect(exits).toEqual([]);
  });
});

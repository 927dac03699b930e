import { readdirSync, readFileSync } from 'node:fs';

/**
 * What every local user can read about every process: its command line (`ps -eo args`, from
 * /proc/PID/cmdline). Sampled on a timer for the "no stream key in ps" tests.
 */

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Arguments joined by spaces, as ps shows them. */
  args: string;
}

export function listProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name in parentheses may contain spaces; the fields after its ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      processes.push({ pid: Number(name), ppid, args });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return processes;
}

/** Every descendant of `root` in a listing (children, their children…). */
export function descendantsOf(root: number, processes: readonly ProcessInfo[]): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of processes) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** The forms a key could take on a command line: as is, URL-encoded, fully percent-encoded. */
export function keyForms(key: string): string[] {
  const percentAll = (upper: boolean): string =>
    [...Buffer.from(key, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')[upper ? 'toUpperCase' : 'toLowerCase']();
  return [...new Set([key, encodeURIComponent(key), encodeURI(key), percentAll(true), percentAll(false)])];
}

export interface CommandLineSampler {
  /** Samples taken so far. */
  readonly samples: number;
  /** Distinct command lines seen, with the pids that had them. */
  readonly seen: ReadonlyMap<string, Set<number>>;
  /** Command lines that contained one of the secrets' forms (should stay empty). */
  readonly leaks: readonly string[];
  stop(): void;
}

/** Reads every process's command line every `intervalMs` and remembers any that holds a secret. */
export function sampleCommandLines(secrets: readonly string[], intervalMs = 20): CommandLineSampler {
  const needles = secrets.flatMap(keyForms);
  const seen = new Map<string, Set<number>>();
  const leaks: string[] = [];
  let samples = 0;
  const sample = (): void => {
    samples++;
    for (const info of listProcesses()) {
      let pids = seen.get(info.args);
      if (!pids) {
        seen.set(info.args, (pids = new Set()));
        if (needles.some((needle) => info.args.includes(needle))) leaks.push(info.args);
      }
      pids.add(info.pid);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    get samples() {
      return samples;
    },
    seen,
    leaks,
    stop: () => clearInterval(timer),
  };
}

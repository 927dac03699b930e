import { MIDI_CLOCK, MIDI_START, MIDI_STOP, parseMidiMessage } from './messages';

export const CLOCK_PULSES_PER_QUARTER = 24;

export const clockIntervalMs = (tempoBpm: number): number => 60_000 / (tempoBpm * CLOCK_PULSES_PER_QUARTER);

export interface ClockSenderOptions {
  readonly send: (bytes: readonly number[]) => void;
  /** A monotonic clock in milliseconds (performance.now by default). */
  readonly now?: () => number;
  /**
   * How long before a pulse the timer wakes and then waits by yielding to the event loop
   * (setImmediate), because a plain timer can be a millisecond or more late.
   */
  readonly spinMs?: number;
  /** Called with each pulse's lateness against its ideal time, for the bench. */
  readonly onPulse?: (latenessMs: number) => void;
}

/**
 * Sends MIDI clock at 24 pulses per quarter note, with start and stop. Every pulse has an ideal
 * time on a grid anchored at start; a tempo change re-anchors the grid at the next pulse, so
 * timer lateness never accumulates into drift.
 */
export class MidiClockSender {
  private readonly now: () => number;
  private readonly spinMs: number;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private anchorMs = 0;
  private pulsesSinceAnchor = 0;
  private intervalMs = clockIntervalMs(120);
  private tempo: number | null = null;

  constructor(private readonly options: ClockSenderOptions) {
    this.now = options.now ?? (() => performance.now());
    this.spinMs = options.spinMs ?? 2;
  }

  get running(): boolean {
    return this.tempo !== null;
  }

  get tempoBpm(): number | null {
    return this.tempo;
  }

  start(tempoBpm: number): void {
    this.stopTimer();
    this.tempo = tempoBpm;
    this.intervalMs = clockIntervalMs(tempoBpm);
    this.options.send([MIDI_START]);
    this.anchorMs = this.now();
    this.pulsesSinceAnchor = 0;
    this.pulse();
  }

  setTempo(tempoBpm: number): void {
    if (this.tempo === null || Math.abs(tempoBpm - this.tempo) < 1e-6) {
      if (this.tempo !== null) this.tempo = tempoBpm;
      return;
    }
    this.anchorMs = this.nextPulseMs();
    this.pulsesSinceAnchor = 0;
    this.tempo = tempoBpm;
    this.intervalMs = clockIntervalMs(tempoBpm);
  }

  stop(): void {
    if (this.tempo === null) return;
    this.stopTimer();
    this.tempo = null;
    this.options.send([MIDI_STOP]);
  }

  private nextPulseMs(): number {
    return this.anchorMs + this.pulsesSinceAnchor * this.intervalMs;
  }

  private stopTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = null;
  }

  private pulse = (): void => {
    if (this.tempo === null) return;
    const now = this.now();
    const dueMs = this.nextPulseMs();
    if (now >= dueMs) {
      this.options.send([MIDI_CLOCK]);
      this.options.onPulse?.(now - dueMs);
      this.pulsesSinceAnchor += 1;
      // After a long stall (a blocked event loop), skip the missed pulses instead of bursting them.
      if (now - this.nextPulseMs() > this.intervalMs * 4) {
        this.pulsesSinceAnchor = Math.ceil((now - this.anchorMs) / this.intervalMs);
      }
    }
    const waitMs = this.nextPulseMs() - this.now();
    this.timer = waitMs > this.spinMs ? setTimeout(this.pulse, waitMs - this.spinMs) : setImmediate(this.pulse);
  };
}

export interface ClockFollowerState {
  readonly running: boolean;
  /** Null until enough pulses have arrived to tell. */
  readonly tempoBpm: number | null;
  /** Where the sender's song is, in quarter notes from its start. */
  readonly positionBeats: number;
}

/**
 * Follows incoming MIDI clock for the studio: tempo from the pulses' spacing (a moving average
 * over one beat, so one late pulse barely moves it), start/continue/stop, and song position.
 */
export class MidiClockFollower {
  private running = false;
  private pulses = 0;
  private lastPulseMs: number | null = null;
  private readonly intervalsMs: number[] = [];
  private tempo: number | null = null;

  constructor(private readonly onChange: (state: ClockFollowerState) => void = () => {}) {}

  get state(): ClockFollowerState {
    return { running: this.running, tempoBpm: this.tempo, positionBeats: this.pulses / CLOCK_PULSES_PER_QUARTER };
  }

  /** Feeds one message (anything that is not clock is ignored); true when it was clock. */
  handle(bytes: ArrayLike<number>, tMs: number): boolean {
    const message = parseMidiMessage(bytes);
    if (!message) return false;
    switch (message.type) {
      case 'clock':
        this.pulse(tMs);
        return true;
      case 'start':
        this.pulses = 0;
        this.setRunning(true);
        return true;
      case 'continue':
        this.setRunning(true);
        return true;
      case 'stop':
        this.setRunning(false);
        return true;
      case 'songPosition':
        // Song position counts MIDI beats: sixteenth notes, six pulses each.
        this.pulses = message.beats16th * 6;
        this.onChange(this.state);
        return true;
      default:
        return false;
    }
  }

  private setRunning(running: boolean): void {
    this.running = running;
    this.lastPulseMs = null;
    this.onChange(this.state);
  }

  private pulse(tMs: number): void {
    if (this.lastPulseMs !== null) {
      const intervalMs = tMs - this.lastPulseMs;
      // A gap of more than a quarter second is a pause in the sender, not a tempo.
      if (intervalMs > 0 && intervalMs < 250) {
        this.intervalsMs.push(intervalMs);
        if (this.intervalsMs.length > CLOCK_PULSES_PER_QUARTER) this.intervalsMs.shift();
      }
    }
    this.lastPulseMs = tMs;
    if (this.running) this.pulses += 1;
    if (this.intervalsMs.length >= CLOCK_PULSES_PER_QUARTER / 2) {
      const meanMs = this.intervalsMs.reduce((sum, value) => sum + value, 0) / this.intervalsMs.length;
      const tempo = Math.round((60_000 / (meanMs * CLOCK_PULSES_PER_QUARTER)) * 10) / 10;
      const changed = this.tempo === null || Math.abs(tempo - this.tempo) >= 0.1;
      this.tempo = tempo;
      if (changed || this.pulses % CLOCK_PULSES_PER_QUARTER === 0) this.onChange(this.state);
    } else if (this.pulses % CLOCK_PULSES_PER_QUARTER === 0) {
      this.onChange(this.state);
    }
  }
}

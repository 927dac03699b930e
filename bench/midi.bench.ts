import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MidiActionEventSchema } from '../src/shared/contract/midi';
import { clockIntervalMs, MidiClockSender } from '../src/main/services/midi/clock';
import { MidiMappingStore } from '../src/main/services/midi/mapping-store';
import { MidiService } from '../src/main/services/midi/midi-service';
import { parseMappingJson } from '../src/main/services/midi/replay';
import { VirtualMidiBackend } from '../src/main/services/midi/virtual-backend';
import type { BenchResult } from './report';

const DEVICE = 'Bench Controller';
const MESSAGES = 20_000;
const CLOCK_TEMPO_BPM = 120;
const CLOCK_SECONDS = 5;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** A DJ's stream on the two-deck layout: jog ticks, 14-bit pitch fader pairs, volume, shift + play. */
function twoDeckMessage(index: number): number[][] {
  switch (index % 6) {
    case 0:
      return [[0xb0, 0x21, index % 2 ? 0x01 : 0x7f]];
    case 1:
      return [[0xb1, 0x00, (index >> 3) & 0x7f], [0xb1, 0x20, index & 0x7f]];
    case 2:
      return [[0xb0, 0x13, index & 0x7f]];
    case 3:
      return [[0x90, 0x3f, 0x7f], [0x90, 0x0b, 0x7f], [0x90, 0x0b, 0x00], [0x90, 0x3f, 0x00]];
    case 4:
      return [[0xb6, 0x1f, index & 0x7f]];
    default:
      return [[0xb1, 0x21, 0x02]];
  }
}

/** Sends the stream through `deliver` and answers each message's time to its action (or to the listener, for the baseline). */
async function measureLatencies(withEngine: boolean): Promise<number[]> {
  const folder = mkdtempSync(join(tmpdir(), 'mixdeck-midi-bench-'));
  const backend = new VirtualMidiBackend();
  backend.connect(DEVICE);
  const latencies: number[] = [];
  let sentAtMs = 0;
  const record = (): void => {
    latencies.push(performance.now() - sentAtMs);
  };
  let service: MidiService | null = null;
  let rawHandle: { close(): void } | null = null;
  if (withEngine) {
    const store = new MidiMappingStore(folder);
    store.save(DEVICE, parseMappingJson(readFileSync(join(import.meta.dirname, '..', 'resources', 'mappings', 'generic-two-deck.json'), 'utf8')));
    service = new MidiService({
      backend,
      store,
      listeners: {
        // What the event hub does with every action before a transport sends it: check it against the contract.
        action: (event) => {
          MidiActionEventSchema.parse(event);
          record();
        },
      },
    });
  } else {
    rawHandle = backend.openInput(DEVICE, () => record());
  }
  for (let index = 0; index < MESSAGES; index += 1) {
    const burst = twoDeckMessage(index);
    for (const bytes of burst) {
      const before = latencies.length;
      sentAtMs = performance.now();
      backend.send(DEVICE, bytes, sentAtMs);
      // Only the messages that fire an action count (a 14-bit MSB or a shift press fires none).
      if (latencies.length > before + 1) latencies.length = before + 1;
    }
    if (index % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  service?.close();
  rawHandle?.close();
  rmSync(folder, { recursive: true, force: true });
  return latencies;
}

/** Each pulse's lateness against its ideal time on the tempo's grid. */
async function measureClock(kind: 'mixdeck' | 'setInterval'): Promise<number[]> {
  const intervalMs = clockIntervalMs(CLOCK_TEMPO_BPM);
  const pulses = Math.round((CLOCK_SECONDS * 1000) / intervalMs);
  const lateness: number[] = [];
  if (kind === 'mixdeck') {
    await new Promise<void>((resolve) => {
      const sender = new MidiClockSender({
        send: () => {},
        onPulse: (latenessMs) => {
          lateness.push(latenessMs);
          if (lateness.length >= pulses) {
            sender.stop();
            resolve();
          }
        },
      });
      sender.start(CLOCK_TEMPO_BPM);
    });
    return lateness;
  }
  await new Promise<void>((resolve) => {
    const startMs = performance.now();
    let count = 0;
    const timer = setInterval(() => {
      count += 1;
      lateness.push(performance.now() - (startMs + count * intervalMs));
      if (count >= pulses) {
        clearInterval(timer);
        resolve();
      }
    }, intervalMs);
  });
  return lateness;
}

export async function benchMidi(): Promise<BenchResult> {
  // Warm up the engine and the JIT, then measure.
  await measureLatencies(true);
  const raw = await measureLatencies(false);
  const mapped = await measureLatencies(true);
  const clock = await measureClock('mixdeck');
  const naive = await measureClock('setInterval');
  const jitter = (values: number[]): number[] => values.slice(1).map((value, index) => Math.abs(value - values[index]!));
  return {
    name: 'MIDI: controller to action, and clock out',
    baseline: `the port layer alone (the same ${MESSAGES.toLocaleString('en')} two-deck messages to a bare listener); for clock, a setInterval at the pulse period`,
    rows: [
      { label: 'MIDI in → action, p50 (mapping engine + contract check)', value: percentile(mapped, 0.5) * 1000, unit: 'µs', ratio: percentile(mapped, 0.5) / percentile(raw, 0.5) },
      { label: 'MIDI in → action, p99', value: percentile(mapped, 0.99) * 1000, unit: 'µs', ratio: percentile(mapped, 0.99) / percentile(raw, 0.99) },
      { label: 'port layer alone, p50 / p99', value: percentile(raw, 0.5) * 1000, unit: `µs / ${(percentile(raw, 0.99) * 1000).toFixed(1)} µs` },
      { label: `clock out at ${CLOCK_TEMPO_BPM} BPM: pulse-to-pulse jitter p50`, value: percentile(jitter(clock), 0.5), unit: 'ms', ratio: percentile(jitter(clock), 0.5) / Math.max(1e-6, percentile(jitter(naive), 0.5)) },
      { label: 'clock out: jitter p99', value: percentile(jitter(clock), 0.99), unit: 'ms', ratio: percentile(jitter(clock), 0.99) / Math.max(1e-6, percentile(jitter(naive), 0.99)) },
      { label: 'clock out: lateness vs the tempo grid, p99 / max', value: percentile(clock, 0.99), unit: `ms / ${Math.max(...clock).toFixed(2)} ms`, ratio: percentile(clock, 0.99) / Math.max(1e-6, percentile(naive, 0.99)) },
      { label: 'setInterval clock: lateness vs grid, p99 / last pulse (drift)', value: percentile(naive, 0.99), unit: `ms / ${naive.at(-1)!.toFixed(2)} ms` },
    ],
    notes: [
      `Latency is measured from the moment the port hands over a message to the moment its action is ready for the event hub; ${mapped.length.toLocaleString('en')} actions. Aim: under 2 ms at p99.`,
      `Clock: ${CLOCK_SECONDS} s of 24-ppqn pulses (${clockIntervalMs(CLOCK_TEMPO_BPM).toFixed(2)} ms apart) on an otherwise idle event loop; the sender aims each pulse at its grid time, so lateness never accumulates.`,
    ],
  };
}

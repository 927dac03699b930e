import { MixdeckError, type CallName, type MidiActionEvent, type midiCalls, type Reply } from '../../shared/contract';
import { MidiMappingStore } from '../services/midi/mapping-store';
import { MidiAssignError, MidiService } from '../services/midi/midi-service';
import { importMixxxMapping, MixxxImportError } from '../services/midi/mixxx-import';
import { createRtMidiBackend, type MidiBackend } from '../services/midi/ports';
import type { Capability, CapabilityContext } from './capability';

export interface MidiCapabilityOptions {
  /** The MIDI system; RtMidi unless a test hands in a virtual one. */
  readonly backend?: MidiBackend;
  /** Runs a contract call in main (Go Live and End from a controller), validated like the page's. */
  readonly callMain?: (name: CallName, input: unknown) => Promise<Reply<unknown>>;
}

/** The broadcast meter's LED row spans -48…0 dBFS. */
const METER_FLOOR_DB = -48;

/** Actions main carries out itself; every action also goes to the page as a midi.action event. */
const MAIN_ACTIONS: Partial<Record<MidiActionEvent['action'], CallName>> = {
  'broadcast.goLive': 'broadcast.goLive',
  'broadcast.end': 'broadcast.end',
};

/** Binds main/services/midi to the contract's midi calls, and controllers to the rest of the app. */
export function createMidiCapability(context: CapabilityContext, options: MidiCapabilityOptions = {}): Capability<typeof midiCalls> {
  const logger = context.logger.child('midi');
  const backend = options.backend ?? createRtMidiBackend();
  if (backend.unavailableReason) logger.warn(backend.unavailableReason);
  let followLiveTempo = false;
  let liveTempoBpm: number | null = null;

  const service = new MidiService({
    backend,
    store: new MidiMappingStore(context.dataDir, (message) => logger.warn(message)),
    listeners: {
      status: (status) => context.events.emit('midi.devices', status),
      learned: (learned) => context.events.emit('midi.learned', learned),
      problem: (message) => logger.warn(message),
      clockIn: (state) => context.events.emit('midi.clockIn', state),
      action: (event) => {
        context.events.emit('midi.action', event);
        const call = MAIN_ACTIONS[event.action];
        if (!call || event.value < 0.5 || !options.callMain) return;
        logger.info('controller action', { action: event.action, device: event.device });
        void options.callMain(call, {}).then((reply) => {
          if (!reply.ok) logger.warn('controller action refused', { action: event.action, message: reply.error.message });
        });
      },
    },
  });

  const unsubscribe = context.events.subscribe((name, payload) => {
    if (name === 'broadcast.setState') {
      const { state } = payload as { state: string };
      service.setState('broadcast.live', undefined, state === 'live' ? 1 : 0);
    } else if (name === 'broadcast.levels') {
      const { channels } = payload as { channels: Array<{ peakDb: number }> };
      const peakDb = Math.max(METER_FLOOR_DB, ...channels.map((channel) => channel.peakDb));
      service.setState('broadcast.meter', undefined, (peakDb - METER_FLOOR_DB) / -METER_FLOOR_DB);
    } else if (name === 'broadcast.tempo') {
      const { tempoBpm } = payload as { tempoBpm: number | null };
      if (tempoBpm !== null) liveTempoBpm = tempoBpm;
      if (tempoBpm !== null && followLiveTempo) service.followTempo(tempoBpm);
    }
  });

  const refuseWhenUnavailable = (): void => {
    if (backend.unavailableReason) throw new MixdeckError('unavailable', backend.unavailableReason);
  };

  return {
    handlers: {
      'midi.status': () => service.status(),
      'midi.getMapping': ({ device }) => service.getMapping(device),
      'midi.saveMapping': ({ device, mapping }) => service.saveMapping(device, mapping),
      'midi.learn': ({ device }) => {
        if (device !== null) refuseWhenUnavailable();
        return { learning: service.learn(device) };
      },
      'midi.assign': ({ device, binding }) => {
        try {
          return service.assign(device, binding);
        } catch (error) {
          if (error instanceof MidiAssignError) throw new MixdeckError('invalid-input', error.message);
          throw error;
        }
      },
      'midi.removeBinding': ({ device, index }) => {
        try {
          return service.removeBinding(device, index);
        } catch (error) {
          if (error instanceof RangeError) throw new MixdeckError('not-found', error.message);
          throw error;
        }
      },
      'midi.importMixxx': ({ device, xml }) => {
        try {
          const { mapping, report } = importMixxxMapping(xml, device);
          return { mapping: service.saveMapping(device, mapping), report };
        } catch (error) {
          if (error instanceof MixxxImportError) throw new MixdeckError('invalid-input', `The Mixxx mapping could not be imported: ${error.message}.`);
          throw error;
        }
      },
      'midi.reportState': ({ source, slot, value }) => {
        service.setState(source, slot, value);
        return { ok: true as const };
      },
      'midi.clock': ({ output, running, tempoBpm }) => {
        if (running) refuseWhenUnavailable();
        followLiveTempo = running && tempoBpm === undefined;
        // Until the live set has measured a tempo, the clock starts at 120 BPM and follows it from then on.
        const tempo = tempoBpm ?? liveTempoBpm ?? 120;
        try {
          return service.setClock(output, running, running ? tempo : null);
        } catch (error) {
          throw new MixdeckError('unavailable', (error as Error).message);
        }
      },
    },
    async close() {
      unsubscribe();
      service.close();
    },
  };
}

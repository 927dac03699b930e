import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, failure } from '../../../tests/support/core-calls';
import { startRtmpServer, type RtmpServer } from '../../../tests/support/rtmp-server';
import { makeTempDir } from '../../../tests/support/temp-dir';
import type { EventName, MidiActionEvent, MidiLearned, MidiStatus } from '../../shared/contract';
import { createAppCore, type AppCore } from '../app-core';
import { MIDI_UNAVAILABLE_NO_LIBRARY, unavailableBackend } from '../services/midi/ports';
import { VirtualMidiBackend } from '../services/midi/virtual-backend';

const CONTROLLER = 'Test DJ Controller MIDI 1';
const STREAM_KEY = 'live_midi_test_key_0123456789';
const SMALL = { width: 320, height: 180, fps: 30, videoBitrateKbps: 300, audioBitrateKbps: 96 };
const NOTE_ON = 0x90;
const GO_LIVE_PAD = 0x40;
const SHIFT = 0x3f;

describe('MIDI controllers through the contract (virtual controller, local RTMP server)', { timeout: 120_000 }, () => {
  const temp = makeTempDir();
  const midi = new VirtualMidiBackend();
  let core: AppCore;
  let server: RtmpServer;
  const seen: Array<{ name: EventName; payload: unknown }> = [];
  const eventsNamed = <T,>(name: EventName): T[] => seen.filter((event) => event.name === name).map((event) => event.payload as T);
  const setState = (): string | undefined => eventsNamed<{ state: string }>('broadcast.setState').at(-1)?.state;
  const sentToController = (): number[][] => midi.sent.get(CONTROLLER) ?? [];

  beforeAll(async () => {
    server = await startRtmpServer({ apps: ['twitch'], tls: false });
    core = await createAppCore({ dataDir: join(temp.path, 'data'), transport: 'web', logLevel: 'error', midiBackend: midi });
    core.events.subscribe((name, payload) => seen.push({ name, payload }));
    await call(core, 'broadcast.addTarget', { platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: STREAM_KEY, overrides: SMALL });
    await call(core, 'broadcast.setAudioInput', { source: 'tone' });
    await call(core, 'broadcast.setVideoSource', { kind: 'testsrc', frameRate: 30 });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await server?.stop();
    temp.remove();
  });

  it('notices a controller plugged in, shows it to the page by name, and learns a pad', async () => {
    midi.connect(CONTROLLER);
    await vi.waitFor(() => expect(eventsNamed<MidiStatus>('midi.devices').at(-1)?.devices.map((device) => device.name)).toEqual([CONTROLLER]), { timeout: 10_000 });
    const status = await call(core, 'midi.status', {});
    expect(status).toMatchObject({ available: true, reason: null, devices: [{ name: CONTROLLER, hasInput: true, hasOutput: true, connected: true, bindingCount: 0 }] });

    expect(await call(core, 'midi.learn', { device: CONTROLLER })).toEqual({ learning: CONTROLLER });
    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x7f]);
    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x00]);
    const learned = eventsNamed<MidiLearned>('midi.learned').at(-1)!;
    expect(learned).toMatchObject({ device: CONTROLLER, status: NOTE_ON, midino: GO_LIVE_PAD, control: 'button', description: 'Note 64 on channel 1' });
    // While learning, the pad fires nothing.
    expect(eventsNamed('midi.action')).toEqual([]);
    await call(core, 'midi.assign', { device: CONTROLLER, binding: { status: learned.status, midino: learned.midino, action: 'broadcast.goLive', layer: 'normal', control: learned.control } });
    await call(core, 'midi.assign', { device: CONTROLLER, binding: { status: NOTE_ON, midino: GO_LIVE_PAD, action: 'broadcast.end', layer: 'shift', control: 'button' } });
    await call(core, 'midi.assign', { device: CONTROLLER, binding: { status: NOTE_ON, midino: SHIFT, action: 'controller.shift', control: 'button' } });
    const mapping = await call(core, 'midi.getMapping', { device: CONTROLLER });
    await call(core, 'midi.saveMapping', { device: CONTROLLER, mapping: { ...mapping, outputs: [{ source: 'broadcast.live', status: NOTE_ON, midino: GO_LIVE_PAD }] } });
    expect(await call(core, 'midi.learn', { device: null })).toEqual({ learning: null });
    expect((await call(core, 'midi.getMapping', { device: CONTROLLER })).bindings).toHaveLength(3);
  });

  it('ignores a bump of Go Live, goes live when it is held, and lights the pad while on air', async () => {
    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x7f]);
    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x00]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(eventsNamed<MidiActionEvent>('midi.action')).toEqual([]);
    expect(setState() ?? 'idle').toBe('idle');

    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x7f]);
    await vi.waitFor(() => expect(eventsNamed<MidiActionEvent>('midi.action').map((event) => event.action)).toEqual(['broadcast.goLive']), { timeout: 10_000 });
    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x00]);
    await vi.waitFor(() => expect(setState()).toBe('live'), { timeout: 30_000 });
    await vi.waitFor(() => expect(server.publishAttempts.some((attempt) => attempt.name === STREAM_KEY && attempt.accepted)).toBe(true), { timeout: 30_000 });
    await vi.waitFor(() => expect(sentToController()).toContainEqual([NOTE_ON, GO_LIVE_PAD, 0x7f]), { timeout: 10_000 });
  });

  it('ends the set with shift held on the same pad, and the light goes out', async () => {
    midi.send(CONTROLLER, [NOTE_ON, SHIFT, 0x7f]);
    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x7f]);
    await vi.waitFor(() => expect(eventsNamed<MidiActionEvent>('midi.action').map((event) => event.action)).toContain('broadcast.end'), { timeout: 10_000 });
    midi.send(CONTROLLER, [NOTE_ON, GO_LIVE_PAD, 0x00]);
    midi.send(CONTROLLER, [NOTE_ON, SHIFT, 0x00]);
    await vi.waitFor(() => expect(setState()).toBe('idle'), { timeout: 60_000 });
    await vi.waitFor(() => expect(sentToController().at(-1)).toEqual([NOTE_ON, GO_LIVE_PAD, 0x00]), { timeout: 10_000 });
    expect(server.recordings('twitch').length).toBeGreaterThan(0);
  });

  it('forgets an unplugged controller and picks it up again with its mapping', async () => {
    midi.disconnect(CONTROLLER);
    await vi.waitFor(() => expect(eventsNamed<MidiStatus>('midi.devices').at(-1)?.devices).toEqual([]), { timeout: 10_000 });
    midi.connect(CONTROLLER);
    await vi.waitFor(() => expect(eventsNamed<MidiStatus>('midi.devices').at(-1)?.devices[0]).toMatchObject({ name: CONTROLLER, bindingCount: 3 }), { timeout: 10_000 });
  });

  it('sends MIDI clock to the controller, and reports clock coming in for the studio', async () => {
    const before = sentToController().length;
    expect(await call(core, 'midi.clock', { output: CONTROLLER, running: true, tempoBpm: 240 })).toEqual({ running: true, tempoBpm: 240, output: CONTROLLER });
    await vi.waitFor(() => expect(sentToController().slice(before).filter(([byte]) => byte === 0xf8).length).toBeGreaterThan(24), { timeout: 10_000 });
    expect(await call(core, 'midi.clock', { output: null, running: false })).toMatchObject({ running: false });
    const clockBytes = sentToController().slice(before).map(([byte]) => byte);
    expect(clockBytes[0]).toBe(0xfa);
    expect(clockBytes.at(-1)).toBe(0xfc);

    const startMs = performance.now();
    midi.send(CONTROLLER, [0xfa], startMs);
    for (let pulse = 1; pulse <= 48; pulse += 1) midi.send(CONTROLLER, [0xf8], startMs + pulse * (60_000 / (126 * 24)));
    const clockIn = seen.filter((event) => event.name === 'midi.clockIn').map((event) => event.payload as { running: boolean; tempoBpm: number | null; positionBeats: number });
    expect(clockIn.at(-1)).toMatchObject({ device: CONTROLLER, running: true, positionBeats: 2 });
    expect(clockIn.at(-1)!.tempoBpm).toBeCloseTo(126, 0);
    // Clock never fires mapped actions.
    expect(eventsNamed<MidiActionEvent>('midi.action').filter((event) => event.action !== 'broadcast.goLive' && event.action !== 'broadcast.end')).toEqual([]);
  });

  it('refuses bad input in words and keeps the mapping', async () => {
    expect(await failure(core, 'midi.assign', { device: CONTROLLER, binding: { status: 0x40, midino: 1, action: 'broadcast.goLive', control: 'button' } })).toMatchObject({ code: 'invalid-input' });
    expect(await failure(core, 'midi.assign', { device: CONTROLLER, binding: { status: 0x90, midino: 1, action: 'rm -rf', control: 'button' } })).toMatchObject({ code: 'invalid-input' });
    expect(await failure(core, 'midi.assign', { device: CONTROLLER, binding: { status: 0xb0, midino: 7, action: 'broadcast.end', control: 'absolute' } })).toEqual({
      code: 'invalid-input',
      message: '“End the set (hold)” needs a button; a fader, knob or encoder cannot be held down.',
    });
    expect(await failure(core, 'midi.removeBinding', { device: CONTROLLER, index: 99 })).toMatchObject({ code: 'not-found', message: expect.stringContaining('there is no number 100') });
    const refused = await failure(core, 'midi.importMixxx', { device: CONTROLLER, xml: '<html/>' });
    expect(refused).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('not a Mixxx mapping') });
    expect((await call(core, 'midi.getMapping', { device: CONTROLLER })).bindings).toHaveLength(3);
  });
});

describe('MIDI where the computer has none', () => {
  it('says so in words, refuses learn and clock, and everything else works', async () => {
    const temp = makeTempDir();
    const core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'error', midiBackend: unavailableBackend(MIDI_UNAVAILABLE_NO_LIBRARY) });
    try {
      expect(await call(core, 'midi.status', {})).toMatchObject({ available: false, reason: MIDI_UNAVAILABLE_NO_LIBRARY, devices: [] });
      expect(await failure(core, 'midi.learn', { device: 'Anything' })).toEqual({ code: 'unavailable', message: MIDI_UNAVAILABLE_NO_LIBRARY });
      expect(await failure(core, 'midi.clock', { output: 'Anything', running: true, tempoBpm: 120 })).toMatchObject({ code: 'unavailable' });
      // Mappings can still be prepared and imported for later.
      expect((await call(core, 'midi.getMapping', { device: 'Later' })).bindings).toEqual([]);
      expect(await call(core, 'broadcast.listTargets', {})).toEqual({ targets: [] });
    } finally {
      await core.close();
      temp.remove();
    }
  });
});

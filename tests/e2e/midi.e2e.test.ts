import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { startWebHost, type WebHost } from '../../src/main/host/web-host';
import { RENDERER_DIR } from '../../src/main/paths';
import { VirtualMidiBackend } from '../../src/main/services/midi/virtual-backend';
import type { EventName } from '../../src/shared/contract';
import { collectPageProblems, launchChromium } from '../support/chromium';
import { call } from '../support/core-calls';
import { startRtmpServer, type RtmpServer } from '../support/rtmp-server';
import { makeTempDir } from '../support/temp-dir';

// MIDI learn in the built page (`npm run build` first) against the real web host, whose main
// has a virtual controller (these machines have no ALSA sequencer): the learned pad, held,
// takes the set live to the local RTMP server.

const CONTROLLER = 'Booth Controller MIDI 1';
const STREAM_KEY = 'live_e2e_midi_key_9876543210';
const SMALL = { width: 320, height: 180, fps: 30, videoBitrateKbps: 300, audioBitrateKbps: 96 };

describe('MIDI learn in the page, then Go Live from the controller', () => {
  const temp = makeTempDir('mixdeck-midi-e2e-');
  const midi = new VirtualMidiBackend();
  let core: AppCore;
  let host: WebHost;
  let server: RtmpServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const seen: Array<{ name: EventName; payload: unknown }> = [];
  const setState = (): string | undefined => (seen.filter((event) => event.name === 'broadcast.setState').at(-1)?.payload as { state: string } | undefined)?.state;

  beforeAll(async () => {
    server = await startRtmpServer({ apps: ['twitch'], tls: false });
    midi.connect(CONTROLLER);
    core = await createAppCore({ dataDir: temp.path, transport: 'web', logLevel: 'warn', midiBackend: midi });
    core.events.subscribe((name, payload) => seen.push({ name, payload }));
    host = await startWebHost({ ...core, staticDir: RENDERER_DIR, port: 0 });
    await call(core, 'broadcast.addTarget', { platform: 'twitch', server: server.rtmpUrl('twitch'), streamKey: STREAM_KEY, overrides: SMALL });
    await call(core, 'broadcast.setAudioInput', { source: 'tone' });
    await call(core, 'broadcast.setVideoSource', { kind: 'testsrc', frameRate: 30 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    collectPageProblems(page, problems);
    await page.goto(`${host.launchUrl}#/settings`);
  });

  afterAll(async () => {
    if (setState() === 'live') await call(core, 'broadcast.end', {});
    await browser?.close();
    await host?.close();
    await core?.close();
    await server?.stop();
    temp.remove();
  });

  it('learns a pad through main\'s MIDI layer and assigns it to Go Live', async () => {
    const section = page.getByTestId('settings-controllers');
    await section.scrollIntoViewIfNeeded();
    await vi.waitFor(async () => expect(await page.getByTestId('midi-device').inputValue()).toBe(CONTROLLER), { timeout: 20_000 });
    await page.getByTestId('midi-learn-toggle').click();
    await page.getByTestId('midi-heard').filter({ hasText: 'Waiting for a control' }).waitFor();
    midi.send(CONTROLLER, [0x90, 0x40, 0x7f]);
    midi.send(CONTROLLER, [0x90, 0x40, 0x00]);
    await page.getByTestId('midi-heard').filter({ hasText: 'Heard: Note 64 on channel 1' }).waitFor();
    await page.getByTestId('midi-action').selectOption('broadcast.goLive');
    await page.getByTestId('midi-assign').click();
    await page.getByTestId('midi-bindings').filter({ hasText: 'Go Live (hold)' }).waitFor();
    await page.getByTestId('midi-learn-toggle').click();
    expect((await call(core, 'midi.status', {})).learning).toBeNull();
    expect((await call(core, 'midi.getMapping', { device: CONTROLLER })).bindings).toMatchObject([{ status: 0x90, midino: 0x40, action: 'broadcast.goLive', control: 'button' }]);
  });

  it('goes live to the local RTMP server when the learned pad is held', async () => {
    midi.send(CONTROLLER, [0x90, 0x40, 0x7f]);
    await vi.waitFor(() => expect(setState()).toBe('live'), { timeout: 45_000, interval: 200 });
    midi.send(CONTROLLER, [0x90, 0x40, 0x00]);
    const lastTargets = (): unknown => seen.filter((event) => event.name === 'broadcast.targetStatus').at(-1)?.payload;
    await vi.waitFor(() => expect(server.publishAttempts.some((attempt) => attempt.name === STREAM_KEY && attempt.accepted), JSON.stringify({ targets: lastTargets(), attempts: server.publishAttempts, setVideo: seen.filter((event) => event.name === 'broadcast.setState').at(-1) })).toBe(true), { timeout: 45_000, interval: 200 });
    expect(problems).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchChromium, MEDIA_FLAGS } from '../support/chromium';
import { parseUltraStar, noteStartSec } from '../../src/audio-engine/karaoke/ultrastar';
import { renderBacking } from '../../src/audio-engine/testing/backing-synth';
import { renderVoice, type MelodyNote } from '../../src/audio-engine/testing/voice-synth';
import type { CliIo } from '../../src/main/cli/io';
import { runKaraokeScore } from '../../src/main/cli/karaoke-score';
import { pickInBrowserDialog } from '../support/path-picker';
import { makeTempDir } from '../support/temp-dir';
import { startTestWebHost, type TestWebHost } from '../support/web-host';

// Sings into Chromium's fake microphone (a synthesised vocal with vibrato, from a WAV) through
// the built renderer and the real web host, and checks the score on screen against
// `mixdeck karaoke score` on the same file. Build first: `npx electron-vite build`.

const SCREENSHOT_DIR = join('test-results', 'screenshots');
const SAMPLE_RATE = 48_000;
/** The app starts the song this long after the microphone's first sample (audio-session.ts). */
const LEAD_IN_SEC = 1.5;
/** Calibration clicks: the first this long after the microphone's first sample, then one per interval (audio-session.ts). */
const CLICK_LEAD_SEC = 1;
const CLICK_INTERVAL_SEC = 0.7;
/**
 * The rig's "room": everything the fake microphone plays is this much later than the music
 * it answers (a speaker-to-microphone round trip). Calibration must find it, plus whatever
 * the browser's capture path adds.
 */
const ROUND_TRIP_SEC = 0.15;

/** 100 BPM: beats of 0.15 s; three lines, golden notes, a freestyle note. */
const SONG_TXT = [
  '#VERSION:1.0.0',
  '#TITLE:Neon Skyline',
  '#ARTIST:The Synthetic Voices',
  '#AUDIO:Neon Skyline.wav',
  '#BPM:100',
  '#GAP:1200',
  '#LANGUAGE:English',
  ': 0 3 5 City ',
  ': 3 3 7 lights ',
  ': 6 3 9 are ',
  '* 9 6 12 shin',
  ': 15 3 9 ing',
  '- 20',
  ': 22 3 9 Danc',
  ': 25 3 7 ing ',
  ': 28 3 5 through ',
  ': 31 3 4 the ',
  ': 34 6 5 night',
  '- 42',
  ': 44 3 12 Sing ',
  ': 47 3 14 it ',
  '* 50 5 16 loud',
  ': 55 3 14 er ',
  'F 58 3 12 (yeah) ',
  ': 61 7 9 now',
  'E',
].join('\n');

/** A duet: Ann sings line 1, Bob line 2 (an octave down, as a man would), both line 3. */
const DUET_TXT = [
  '#VERSION:1.0.0',
  '#TITLE:Two Hearts',
  '#ARTIST:Ann & Bob',
  '#AUDIO:Two Hearts.wav',
  '#BACKGROUND:stage.png',
  '#VIDEO:clip.webm',
  '#VIDEOGAP:0.5',
  '#BPM:100',
  '#GAP:1200',
  '#P1:Ann',
  '#P2:Bob',
  'P1',
  ': 0 4 7 You ',
  ': 4 4 9 and ',
  '* 8 8 12 me',
  '- 18',
  ': 40 4 9 To',
  ': 44 4 7 geth',
  '* 48 8 5 er',
  'P2',
  ': 20 4 4 Me ',
  ': 24 4 5 and ',
  ': 28 8 7 you',
  '- 38',
  ': 40 4 9 To',
  ': 44 4 7 geth',
  '* 48 8 5 er',
  'E',
].join('\n');

function wavBytes(channels: Float32Array[], sampleRate: number): Buffer {
  const frames = channels[0]!.length;
  const buffer = Buffer.alloc(44 + frames * channels.length * 2);
  buffer.write('RIFF', 0);
  buffer.writeUInt32LE(36 + frames * channels.length * 2, 4);
  buffer.write('WAVEfmt ', 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(channels.length, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * channels.length * 2, 28);
  buffer.writeUInt16LE(channels.length * 2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36);
  buffer.writeUInt32LE(frames * channels.length * 2, 40);
  let offset = 44;
  for (let frame = 0; frame < frames; frame += 1) {
    for (const channel of channels) {
      buffer.writeInt16LE(Math.round(Math.max(-1, Math.min(1, channel[frame]!)) * 32767), offset);
      offset += 2;
    }
  }
  return buffer;
}

/** Where the singer slips out of tune (semitones; beyond Medium's ±1), so the score is not a saturated 10,000. */
const OFF_KEY_SYLLABLES = new Map([
  ['lights', 2],
  ['the', -3],
  ['er', 2],
]);

/** The singer: the song's notes (freestyle too), legato, a few of them off key, with the synthetic voice, after `leadInSec` of silence. */
function singTheSong(leadInSec: number): Float32Array {
  const song = parseUltraStar(SONG_TXT);
  const notes: MelodyNote[] = song.voices[0]!.lines.flatMap((line) =>
    line.notes.map((note) => ({ midi: note.midi + (OFF_KEY_SYLLABLES.get(note.text.trim()) ?? 0), startSec: leadInSec + noteStartSec(song, note.startBeat), durationSec: note.lengthBeats * song.beatDurationSec })),
  );
  const last = notes[notes.length - 1]!;
  const voice = renderVoice({ sampleRate: SAMPLE_RATE, durationSec: last.startSec + last.durationSec + 4, notes, voiceType: 'female', seed: 7, vibratoDepthCents: 40 });
  // Leave headroom: 16-bit PCM, and Chromium's capture path must not clip.
  let peak = 0;
  for (const value of voice.samples) peak = Math.max(peak, Math.abs(value));
  return voice.samples.map((value) => (value / peak) * 0.5);
}

/** What the microphone hears during calibration: each click coming back ROUND_TRIP_SEC late. */
function clicksComingBack(): Float32Array {
  const samples = new Float32Array(Math.round(SAMPLE_RATE * (CLICK_LEAD_SEC + 9 * CLICK_INTERVAL_SEC + 2)));
  for (let click = 0; click < 8; click += 1) {
    const start = Math.round((CLICK_LEAD_SEC + click * CLICK_INTERVAL_SEC + ROUND_TRIP_SEC) * SAMPLE_RATE);
    for (let index = 0; index < SAMPLE_RATE * 0.03; index += 1) samples[start + index] = (Math.sin((2 * Math.PI * 1500 * index) / SAMPLE_RATE) > 0 ? 0.5 : -0.5) * Math.exp(-index / (SAMPLE_RATE * 0.008));
  }
  return samples;
}

async function openKaraoke(browserToUse: Browser): Promise<Page> {
  const opened = await browserToUse.newPage({ viewport: { width: 1280, height: 800 } });
  collectPageProblems(opened, pageProblems);
  await opened.goto(`${host!.url}#/karaoke`);
  await opened.locator('[data-testid="shell"][data-settings-loaded="true"]').waitFor();
  return opened;
}

/**
 * One singer's microphone during a song, from its start plus `leadInSec`: their own notes
 * (a man an octave down), `offKeyFrom` onwards `offKeySemitones` out of tune, and optionally
 * the other singer's line sung along on their own microphone, a fourth too high — which only
 * a separate channel per singer keeps out of the other singer's score.
 */
function singVoice(
  songText: string,
  options: { voiceIndex: number; leadInSec: number; voiceType: 'female' | 'male'; durationSec: number; keySemitones?: number; offKeyFromBeat?: number; offKeySemitones?: number; singsAlongWith?: number },
): Float32Array {
  const song = parseUltraStar(songText);
  const octave = options.voiceType === 'male' ? 12 : 0;
  const own = song.voices[options.voiceIndex]!.lines.flatMap((line) => line.notes);
  const notes: MelodyNote[] = own.map((note) => ({
    midi: note.midi - octave + (options.keySemitones ?? 0) + (note.startBeat >= (options.offKeyFromBeat ?? Infinity) ? (options.offKeySemitones ?? 0) : 0),
    startSec: options.leadInSec + noteStartSec(song, note.startBeat),
    durationSec: note.lengthBeats * song.beatDurationSec,
  }));
  if (options.singsAlongWith !== undefined) {
    const ownBeats = new Set(own.map((note) => note.startBeat));
    for (const note of song.voices[options.singsAlongWith]!.lines.flatMap((line) => line.notes)) {
      if (ownBeats.has(note.startBeat)) continue;
      notes.push({ midi: note.midi - octave + (options.keySemitones ?? 0) + 5, startSec: options.leadInSec + noteStartSec(song, note.startBeat), durationSec: note.lengthBeats * song.beatDurationSec });
    }
    notes.sort((a, b) => a.startSec - b.startSec);
  }
  const voice = renderVoice({ sampleRate: SAMPLE_RATE, durationSec: options.durationSec, notes, voiceType: options.voiceType, seed: 20 + options.voiceIndex, vibratoDepthCents: 40 });
  let peak = 0;
  for (const value of voice.samples) peak = Math.max(peak, Math.abs(value));
  return voice.samples.map((value) => (value / peak) * 0.5);
}

let temp: ReturnType<typeof makeTempDir>;
let clicksPath: string;
let host: TestWebHost | undefined;
let browser: Browser | undefined;
let page: Page;
const pageProblems: string[] = [];
let vocalPath: string;
let songPath: string;
let songsFolder: string;
let brokenFolder: string;

async function importFolder(folder: string): Promise<void> {
  // Picked in main's folder browser, whose home is this test's temp folder.
  await page.getByTestId('karaoke-import-pick').click();
  await pickInBrowserDialog(page, relative(temp.path, folder).split(sep));
  await page.locator('[data-testid="karaoke-import-result"]').waitFor();
}

describe('karaoke in the browser', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    temp = makeTempDir('mixdeck-karaoke-e2e-');
    songsFolder = join(temp.path, 'songs');
    const songFolder = join(songsFolder, 'The Synthetic Voices - Neon Skyline');
    mkdirSync(songFolder, { recursive: true });
    songPath = join(songFolder, 'Neon Skyline.txt');
    writeFileSync(songPath, SONG_TXT);
    // The song's audio: a band in C with a centred "lead" so vocal reduction has work to do.
    const backing = renderBacking({ sampleRate: SAMPLE_RATE, durationSec: 12, seed: 4, tonicMidi: 60 });
    const quiet = backing.map((value) => value * 0.3);
    writeFileSync(join(songFolder, 'Neon Skyline.wav'), wavBytes([quiet, quiet], SAMPLE_RATE));

    brokenFolder = join(temp.path, 'broken');
    const broken = (name: string, text: string): void => {
      mkdirSync(join(brokenFolder, name), { recursive: true });
      writeFileSync(join(brokenFolder, name, `${name}.txt`), text);
      writeFileSync(join(brokenFolder, name, 'a.wav'), wavBytes([new Float32Array(4800)], SAMPLE_RATE));
    };
    const head = '#TITLE:T\n#ARTIST:A\n#AUDIO:a.wav\n#BPM:300\n#GAP:0\n';
    broken('Bad Length', `${head}: 0 4 0 la\n: 4 0 2 la\nE\n`);
    broken('Words For Numbers', `${head}: 0 four 0 la\nE\n`);
    broken('No Bpm', '#TITLE:T\n#ARTIST:A\n#AUDIO:a.wav\n: 0 4 0 la\nE\n');
    broken('Stray Line', `${head}: 0 4 0 la\nhello there\nE\n`);
    broken('Fine Song', `${head}: 0 4 0 la\n: 4 4 2 la\nE\n`);
    writeFileSync(join(brokenFolder, 'Missing Audio.txt'), '#TITLE:T\n#ARTIST:A\n#AUDIO:nowhere.ogg\n#BPM:300\n: 0 4 0 la\nE\n');

    vocalPath = join(temp.path, 'vocal.wav');
    writeFileSync(vocalPath, wavBytes([singTheSong(LEAD_IN_SEC + ROUND_TRIP_SEC)], SAMPLE_RATE));

    const duetFolder = join(songsFolder, 'Ann & Bob - Two Hearts');
    mkdirSync(duetFolder, { recursive: true });
    writeFileSync(join(duetFolder, 'Two Hearts.txt'), DUET_TXT);
    writeFileSync(join(duetFolder, 'Two Hearts.wav'), wavBytes([quiet, quiet], SAMPLE_RATE));
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'gradients=s=1280x720:c0=0x1e0b3b:c1=0x5b0e4f:c2=0x0b2a4a:n=3:type=linear:seed=9', '-frames:v', '1', join(duetFolder, 'stage.png')]);
    // The song's video: 12 s of moving gradients, small and quick to encode.
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'gradients=s=320x180:c0=0x3b0764:c1=0x0e7490:c2=0xbe185d:n=3:speed=0.05:rate=15:duration=12', '-c:v', 'libvpx', '-pix_fmt', 'yuv420p', '-b:v', '200k', '-deadline', 'realtime', '-cpu-used', '8', join(duetFolder, 'clip.webm')]);

    clicksPath = join(temp.path, 'clicks.wav');
    writeFileSync(clicksPath, wavBytes([clicksComingBack()], SAMPLE_RATE));

    host = await startTestWebHost({ fileBrowser: { homeDir: temp.path, volumeRoots: [] } });
    browser = await launchChromium([...MEDIA_FLAGS, `--use-file-for-fake-audio-capture=${vocalPath}`]);
    page = await openKaraoke(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    temp?.remove();
  });

  it('refuses a folder of broken song files file by file, in words, and imports the rest', async () => {
    await importFolder(brokenFolder);
    const refusals = await page.locator('[data-testid="karaoke-refusal"]').allInnerTexts();
    const flat = refusals.map((text) => text.replace(/\s+/g, ' '));
    expect(flat).toEqual([
      'Bad Length/Bad Length.txt, line 7: a note must last at least one beat (this one lasts 0)',
      'Missing Audio.txt: the audio file "nowhere.ogg" is missing',
      'No Bpm/No Bpm.txt: the #BPM header is missing',
      'Stray Line/Stray Line.txt, line 7: this line is not a header, note, line break or end mark: "hello there"',
      'Words For Numbers/Words For Numbers.txt, line 6: a note is ": start length pitch syllable" with whole numbers, found ": 0 four 0 la"',
    ]);
    await expect(page.locator('[data-testid="karaoke-import-result"] p').first().innerText()).resolves.toMatch(/^1 song added, 0 updated, 5 refused\.$/);
    await expect(page.locator('[data-testid="karaoke-song"]').allInnerTexts()).resolves.toEqual([expect.stringContaining('T')]);
  });

  it('sings a song into the microphone and shows the score the CLI gives the same recording, within 3%', async () => {
    // Calibrate first, in a browser whose microphone hears the clicks come back.
    const calibrationBrowser = await launchChromium([...MEDIA_FLAGS, `--use-file-for-fake-audio-capture=${clicksPath}`]);
    let measuredMs: number;
    try {
      const calibrationPage = await openKaraoke(calibrationBrowser);
      await expect(calibrationPage.locator('[data-testid="karaoke-mic-delay"]').innerText()).resolves.toMatch(/140 ms\s*default, not calibrated/);
      await calibrationPage.getByRole('button', { name: 'Calibrate with clicks' }).click();
      const result = calibrationPage.getByText(/^Measured \d+ ms from \d clicks\.$/);
      await result.waitFor({ timeout: 20_000 });
      measuredMs = Number(/Measured (\d+) ms/.exec(await result.innerText())![1]);
      await expect(calibrationPage.locator('[data-testid="karaoke-mic-delay"]').innerText()).resolves.toMatch(new RegExp(`${measuredMs} ms\\s*measured`));
    } finally {
      await calibrationBrowser.close();
    }
    // The room's round trip, plus the capture path's own buffering (as a real sound card adds).
    expect(measuredMs).toBeGreaterThanOrEqual(ROUND_TRIP_SEC * 1000 - 5);
    expect(measuredMs).toBeLessThanOrEqual(ROUND_TRIP_SEC * 1000 + 60);

    await page.reload();
    await page.locator('[data-testid="shell"][data-settings-loaded="true"]').waitFor();
    await expect(page.locator('[data-testid="karaoke-mic-delay"]').innerText()).resolves.toMatch(new RegExp(`${measuredMs} ms`));
    await importFolder(songsFolder);
    await page.getByRole('button', { name: /Neon Skyline/ }).click();
    await page.locator('[data-testid="karaoke-setup"]').waitFor();
    await page.getByLabel('Name of singer 1').fill('Robo Diva');
    await page.getByRole('radio', { name: /Medium/ }).click();
    await page.locator('[data-testid="karaoke-start"]').click();
    await page.locator('[data-testid="karaoke-singing"]').waitFor();

    // Mid-song: the golden "loud" (beat 52) of the third line. The song starts when the "Loading…" message goes.
    const song = parseUltraStar(SONG_TXT);
    await page.locator('.karaoke-stage-message').waitFor({ state: 'detached', timeout: 30_000 });
    await page.waitForTimeout((LEAD_IN_SEC + noteStartSec(song, 52)) * 1000);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'karaoke-singing.png') });

    await page.locator('[data-testid="karaoke-results"]').waitFor({ timeout: 30_000 });
    const shown = Number(await page.locator('[data-testid="final-score-1"]').innerText());
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'karaoke-results.png') });

    let out = '';
    const io: CliIo = { out: (text) => (out += text), err: () => undefined };
    // In the file the singing is LEAD_IN_SEC + ROUND_TRIP_SEC late against the song; the app
    // heard it through its calibrated delay. The same alignment, given to the CLI:
    const code = await runKaraokeScore([songPath, '--vocal', vocalPath, '--difficulty', 'medium', '--delay-ms', String(Math.round((LEAD_IN_SEC + ROUND_TRIP_SEC) * 1000)), '--json'], io);
    expect(code).toBe(0);
    const cli = JSON.parse(out) as { score: number };
    expect(cli.score).toBeGreaterThan(6000);
    expect(cli.score).toBeLessThan(9000);
    console.info(`karaoke e2e: calibrated ${measuredMs} ms (round trip ${ROUND_TRIP_SEC * 1000} ms); score on screen ${shown}, CLI ${cli.score}`);
    expect(Math.abs(shown - cli.score) / cli.score, `score on screen ${shown}, CLI ${cli.score}`).toBeLessThanOrEqual(0.03);

    // Kept in SQLite, on the leaderboard, with the singer's name.
    const board = page.locator('[data-testid="karaoke-leaderboard"] li');
    await expect(board.first().innerText()).resolves.toMatch(new RegExp(`1\\s+Robo Diva\\s+medium\\s+${shown}`));
    // The performance was recorded and can be played back.
    await page.locator('[data-testid="karaoke-recording"]').waitFor();
    const recordingSec = await page.locator('[data-testid="karaoke-recording"]').evaluate(
      (element) =>
        new Promise<number>((resolve) => {
          const audio = element as HTMLAudioElement;
          const report = (): void => resolve(audio.duration);
          if (audio.readyState >= 1) report();
          else audio.addEventListener('loadedmetadata', report, { once: true });
        }),
    );
    expect(recordingSec).toBeGreaterThan(3);
    expect(pageProblems).toEqual([]);
  });
  it('pauses and resumes the song (the music, the clock and the scoring stop together), and quits with Escape', async () => {
    await page.locator('[data-testid="karaoke-results"]').waitFor();
    await page.getByRole('button', { name: 'Sing again' }).click();
    await page.locator('.karaoke-stage-message').waitFor({ state: 'detached', timeout: 30_000 });
    await page.waitForTimeout((LEAD_IN_SEC + 1) * 1000);
    const progress = (): Promise<number> => page.locator('.karaoke-progress-fill').evaluate((element) => parseFloat((element as HTMLElement).style.width));
    await page.locator('[data-testid="karaoke-pause"]').click();
    await page.locator('[data-testid="karaoke-singing"][data-paused="true"]').waitFor();
    await page.getByRole('dialog', { name: 'Paused' }).waitFor();
    const pausedAt = await progress();
    const scoreWhilePaused = await page.locator('[data-testid="running-score-1"]').innerText();
    await page.waitForTimeout(1000);
    expect(await progress()).toBe(pausedAt);
    expect(await page.locator('[data-testid="running-score-1"]').innerText()).toBe(scoreWhilePaused);
    await page.getByRole('dialog', { name: 'Paused' }).getByRole('button', { name: 'Resume' }).click();
    await page.locator('[data-testid="karaoke-singing"][data-paused="false"]').waitFor();
    await page.waitForTimeout(600);
    expect(await progress()).toBeGreaterThan(pausedAt);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="karaoke-setup"]').waitFor();
    expect(pageProblems).toEqual([]);
  });

  it('scores a duet in a changed key: two singers on the two channels of one input, each heard only on their own channel and matching the CLI', async () => {
    const durationSec = LEAD_IN_SEC + ROUND_TRIP_SEC + 1.2 + 56 * 0.15 + 3;
    const leadInSec = LEAD_IN_SEC + ROUND_TRIP_SEC;
    // The backing is moved up 2 semitones and they sing in the new key. Ann sings her part in
    // tune and hums along, off key, during Bob's line; Bob slips a tone sharp on the last line.
    const keySemitones = 2;
    const ann = singVoice(DUET_TXT, { voiceIndex: 0, leadInSec, voiceType: 'female', durationSec, keySemitones, singsAlongWith: 1 });
    const bob = singVoice(DUET_TXT, { voiceIndex: 1, leadInSec, voiceType: 'male', durationSec, keySemitones, offKeyFromBeat: 40, offKeySemitones: 2 });
    const stereoPath = join(temp.path, 'duet.wav');
    writeFileSync(stereoPath, wavBytes([ann, bob], SAMPLE_RATE));
    const channelPaths = [join(temp.path, 'ann.wav'), join(temp.path, 'bob.wav')];
    writeFileSync(channelPaths[0]!, wavBytes([ann], SAMPLE_RATE));
    writeFileSync(channelPaths[1]!, wavBytes([bob], SAMPLE_RATE));

    // Imported by the test above too; importing again only updates.
    host!.core.grantPicked(songsFolder, 'folder', 'song-folder'); // as the import above picked it, should that test not have run
    await host!.core.dispatcher.dispatch('karaoke.importFolder', { folderPath: songsFolder }, { transport: 'web', origin: host!.url });
    const duetBrowser = await launchChromium([...MEDIA_FLAGS, `--use-file-for-fake-audio-capture=${stereoPath}`]);
    try {
      const duetPage = await openKaraoke(duetBrowser);
      await duetPage.getByRole('button', { name: /Two Hearts/ }).click();
      await duetPage.locator('[data-testid="karaoke-setup"]').waitFor();
      expect(await duetPage.getByLabel(/Two singers/).isChecked()).toBe(true);
      await duetPage.getByLabel('Name of singer 1').fill('Ann');
      await duetPage.getByLabel('Name of singer 2').fill('Bob');
      await duetPage.getByLabel('Key change in semitones').fill(String(keySemitones));
      await duetPage.locator('[data-testid="karaoke-start"]').click();
      await duetPage.locator('[data-testid="karaoke-singing"]').waitFor();
      // Mid-song: Bob's line (beats 20–36).
      await duetPage.locator('.karaoke-stage-message').waitFor({ state: 'detached', timeout: 30_000 });
      await duetPage.waitForTimeout((LEAD_IN_SEC + noteStartSec(parseUltraStar(DUET_TXT), 31)) * 1000);
      await duetPage.screenshot({ path: join(SCREENSHOT_DIR, 'karaoke-duet.png') });
      // The song's video plays behind the stage, in step with the song (#VIDEOGAP 0.5 s).
      // The song's clock, read from the progress bar (it runs to 1.5 s after the last note) in the same moment.
      const duetSong = parseUltraStar(DUET_TXT);
      const endSec = noteStartSec(duetSong, 56) + 1.5;
      const video = await duetPage.evaluate(() => {
        const element = document.querySelector<HTMLVideoElement>('video.karaoke-video')!;
        const fill = document.querySelector<HTMLElement>('.karaoke-progress-fill')!;
        return { paused: element.paused, timeSec: element.currentTime, progressPercent: parseFloat(fill.style.width) };
      });
      expect(video.paused).toBe(false);
      expect(Math.abs(video.timeSec - ((video.progressPercent / 100) * endSec - 0.5))).toBeLessThan(0.4);
      await duetPage.locator('[data-testid="karaoke-results"]').waitFor({ timeout: 30_000 });
      const shown = [Number(await duetPage.locator('[data-testid="final-score-1"]').innerText()), Number(await duetPage.locator('[data-testid="final-score-2"]').innerText())];
      const duetPath = join(songsFolder, 'Ann & Bob - Two Hearts', 'Two Hearts.txt');
      for (const singer of [1, 2]) {
        let out = '';
        const code = await runKaraokeScore(
          [duetPath, '--vocal', channelPaths[singer - 1]!, '--singer', String(singer), '--transpose', String(keySemitones), '--difficulty', 'medium', '--delay-ms', String(Math.round((LEAD_IN_SEC + ROUND_TRIP_SEC) * 1000)), '--json'],
          { out: (text) => (out += text), err: () => undefined },
        );
        expect(code).toBe(0);
        const cli = (JSON.parse(out) as { score: number }).score;
        console.info(`karaoke e2e duet: singer ${singer} on screen ${shown[singer - 1]}, CLI ${cli}`);
        // Ann's humming never reaches Bob's channel; Bob's slip costs him his last line.
        if (singer === 1) expect(cli).toBeGreaterThanOrEqual(9000);
        else expect(cli).toBeLessThan(7500);
        expect(Math.abs(shown[singer - 1]! - cli) / cli, `singer ${singer}: on screen ${shown[singer - 1]}, CLI ${cli}`).toBeLessThanOrEqual(0.03);
      }
    } finally {
      await duetBrowser.close();
    }
    expect(pageProblems).toEqual([]);
  });
});

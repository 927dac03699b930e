import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  MixdeckError,
  type CallInput,
  type CallName,
  type CallOutput,
  type ConnectionState,
  type EventName,
  type EventPayload,
  type MixdeckClient,
  type Settings,
  type SettingsPatch,
} from '../../shared/contract';
import { applyPatch, createShellStore, type ShellStoreOptions } from './store';

type Answer = (input: unknown) => unknown;

/** A client whose answers the test decides, with the settings main would keep. */
function fakeClient(initial: Settings = DEFAULT_SETTINGS) {
  let settings = structuredClone(initial);
  const sent: { name: CallName; input: unknown }[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const answers: Partial<Record<CallName, Answer>> = {
    'app.info': () => ({ name: 'Mixdeck', version: '1.2.3', transport: 'web', platform: 'linux', nativeDialogs: false }),
    'app.ping': (input) => ({ nonce: (input as { nonce: string }).nonce, serverTimeMs: 0 }),
    'settings.get': () => settings,
    'settings.update': (input) => (settings = applyPatch(settings, input as SettingsPatch)),
  };
  const client: MixdeckClient = {
    transport: 'web',
    connectionState: 'connected' as ConnectionState,
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
      sent.push({ name, input });
      await Promise.resolve();
      const answer = answers[name];
      if (!answer) throw new MixdeckError('unknown-channel', `no fake for ${name}`);
      return structuredClone(answer(input)) as CallOutput<N>;
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      listeners.set(name, listener as (payload: unknown) => void);
      return () => listeners.delete(name);
    },
    onConnectionChange(listener) {
      listener('connected');
      return () => {};
    },
  };
  return {
    client,
    sent,
    answers,
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      listeners.get(name)?.(payload);
    },
    get saved() {
      return settings;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const running: (() => void)[] = [];
afterEach(() => {
  for (const stop of running.splice(0)) stop();
});

/** A started store over the fake client; stopped after each test. */
function startedStore(fake: ReturnType<typeof fakeClient>, options: ShellStoreOptions) {
  const store = createShellStore(fake.client, options);
  running.push(store.getState().start());
  return store;
}

describe('the shell store', () => {
  it('opens the area the user was last in when the URL names none', async () => {
    const fake = fakeClient({ ...DEFAULT_SETTINGS, ui: { lastArea: 'karaoke' } });
    const store = startedStore(fake, { initialArea: null });
    await settle();
    expect(store.getState().area).toBe('karaoke');
    expect(fake.sent.filter((call) => call.name === 'settings.update')).toEqual([]);
  });

  it('prefers the area in the URL, and remembers it as the last area', async () => {
    const fake = fakeClient({ ...DEFAULT_SETTINGS, ui: { lastArea: 'karaoke' } });
    const store = startedStore(fake, { initialArea: 'library' });
    await settle();
    expect(store.getState().area).toBe('library');
    expect(fake.saved.ui.lastArea).toBe('library');
  });

  it('remembers each area the user moves to, without touching the save indicator', async () => {
    const fake = fakeClient();
    const store = startedStore(fake, { initialArea: null });
    await settle();
    store.getState().navigate('studio');
    await settle();
    expect(fake.saved.ui.lastArea).toBe('studio');
    expect(store.getState().saveStatus).toBe('idle');
  });

  it('does not echo a last area that another window saved', async () => {
    const fake = fakeClient();
    const store = startedStore(fake, { initialArea: 'studio' });
    await settle();
    const updatesBefore = fake.sent.filter((call) => call.name === 'settings.update').length;
    fake.emit('settings.changed', { ...fake.saved, ui: { lastArea: 'karaoke' } });
    await settle();
    expect(fake.sent.filter((call) => call.name === 'settings.update').length).toBe(updatesBefore);
    expect(store.getState().area).toBe('studio');
  });

  it('shows a change at once and marks the field saved when main accepts it', async () => {
    const fake = fakeClient();
    const store = startedStore(fake, { initialArea: 'settings' });
    await settle();
    const saving = store.getState().saveSettings({ audio: { sampleRate: 44100 } });
    expect(store.getState().settings?.audio.sampleRate).toBe(44100);
    expect(store.getState().saveStatus).toBe('saving');
    expect(await saving).toBe(true);
    expect(store.getState().fieldSaves['audio.sampleRate']).toEqual({ status: 'saved' });
    expect(store.getState().saveStatus).toBe('saved');
  });

  it("puts a refused field back and keeps main's sentence for it", async () => {
    const fake = fakeClient();
    const store = startedStore(fake, { initialArea: 'settings' });
    await settle();
    fake.answers['settings.update'] = () => {
      throw new MixdeckError('invalid-input', 'Recordings folder "/nope" does not exist.');
    };
    expect(await store.getState().saveSettings({ folders: { recordings: '/nope' } })).toBe(false);
    expect(store.getState().settings?.folders.recordings).toBeNull();
    expect(store.getState().fieldSaves['folders.recordings']).toEqual({
      status: 'error',
      message: 'Recordings folder "/nope" does not exist.',
    });
    expect(store.getState().saveStatus).toBe('error');
  });

  it('follows settings changed elsewhere', async () => {
    const fake = fakeClient();
    const store = startedStore(fake, { initialArea: 'settings' });
    await settle();
    fake.emit('settings.changed', applyPatch(fake.saved, { appearance: { theme: 'booth' } }));
    expect(store.getState().settings?.appearance.theme).toBe('booth');
  });

  it('turns app.notice events into notices, keeping only the newest few', async () => {
    const fake = fakeClient();
    const store = startedStore(fake, { initialArea: 'settings', maxNotices: 2 });
    for (const message of ['one', 'two', 'three']) fake.emit('app.notice', { level: 'info', message });
    expect(store.getState().notices.map((notice) => notice.message)).toEqual(['two', 'three']);
  });
});

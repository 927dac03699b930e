import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AppInfo,
  Area,
  ConnectionState,
  MixdeckClient,
  Settings,
  SettingsPatch,
} from '../../shared/contract';

export type SettingsSection = keyof Settings;
export type ResettableSection = Exclude<SettingsSection, 'ui'>;
/** One setting, named `section.key`, e.g. `audio.sampleRate`. Save states and errors are kept per field. */
export type SettingsField = { [S in SettingsSection]: `${S}.${keyof Settings[S] & string}` }[SettingsSection];

export type FieldSave = { status: 'saving' } | { status: 'saved' } | { status: 'error'; message: string };
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';
export type NoticeLevel = 'info' | 'warning' | 'error';

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly message: string;
}

export interface ShellState {
  /** The contract client, for calls that belong to one screen (device lists, folder pickers). */
  readonly client: MixdeckClient;
  area: Area;
  connection: ConnectionState;
  transport: MixdeckClient['transport'];
  info: AppInfo | null;
  /** What the UI shows: main's settings plus any change still on its way there. */
  settings: Settings | null;
  settingsLoadError: string | null;
  fieldSaves: Partial<Record<SettingsField, FieldSave>>;
  saveStatus: SaveStatus;
  /** Round trip of the last `app.ping`, null while unknown or disconnected. */
  rttMs: number | null;
  notices: readonly Notice[];
  shortcutsOpen: boolean;

  /** Subscribes to the client and loads info and settings; returns the undo. */
  start(): () => void;
  navigate(area: Area): void;
  /** Applies the patch at once, saves it, and reverts the fields it touched if main refuses. */
  saveSettings(patch: SettingsPatch): Promise<boolean>;
  resetSection(section: ResettableSection): Promise<boolean>;
  reloadSettings(): Promise<void>;
  ping(): Promise<void>;
  notify(level: NoticeLevel, message: string): void;
  dismissNotice(id: number): void;
  setShortcutsOpen(open: boolean): void;
}

export type ShellStore = StoreApi<ShellState>;

export interface ShellStoreOptions {
  /** The area named by the URL; null means "restore `ui.lastArea` once settings arrive". */
  initialArea: Area | null;
  pingIntervalMs?: number;
  /** At most this many notices are kept; the oldest go first. */
  maxNotices?: number;
}

const FIRST_PING_DELAY_MS = 1_000;
const SECTIONS: readonly SettingsSection[] = ['audio', 'folders', 'appearance', 'ui'];

export function fieldsOfPatch(patch: SettingsPatch): SettingsField[] {
  const fields: SettingsField[] = [];
  for (const section of SECTIONS) {
    const part = patch[section];
    if (part) for (const key of Object.keys(part)) fields.push(`${section}.${key}` as SettingsField);
  }
  return fields;
}

export function applyPatch(settings: Settings, patch: SettingsPatch): Settings {
  return {
    audio: { ...settings.audio, ...patch.audio },
    folders: { ...settings.folders, ...patch.folders },
    appearance: { ...settings.appearance, ...patch.appearance },
    ui: { ...settings.ui, ...patch.ui },
  };
}

/** Puts back, in `shown`, the value `confirmed` has for each field. */
function fieldStates(fields: readonly SettingsField[], save: FieldSave): Partial<Record<SettingsField, FieldSave>> {
  return Object.fromEntries(fields.map((field) => [field, save]));
}

function revertFields(shown: Settings, confirmed: Settings, fields: readonly SettingsField[]): Settings {
  const next = structuredClone(shown);
  for (const field of fields) {
    const [section, key] = field.split('.') as [SettingsSection, string];
    (next[section] as Record<string, unknown>)[key] = (confirmed[section] as Record<string, unknown>)[key];
  }
  return next;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

export function createShellStore(client: MixdeckClient, options: ShellStoreOptions): ShellStore {
  const pingIntervalMs = options.pingIntervalMs ?? 5_000;
  const maxNotices = options.maxNotices ?? 5;
  /** Main's settings as of its last answer or event. */
  let confirmed: Settings | null = null;
  let restoreLastArea = options.initialArea === null;
  let settingsLoaded = false;
  /** Saves still waiting for main; while any is, answers do not overwrite what the user sees. */
  let savesInFlight = 0;
  /** The subset of those the user made (not the quiet `ui.lastArea` ones): they drive `saveStatus`. */
  let userSavesInFlight = 0;
  let pingInFlight = false;
  let nextNoticeId = 1;

  return createStore<ShellState>()((set, get) => {
    const acceptSettings = (settings: Settings): void => {
      confirmed = settings;
      const firstLoad = !settingsLoaded;
      settingsLoaded = true;
      if (restoreLastArea) {
        restoreLastArea = false;
        set({ area: settings.ui.lastArea });
      }
      if (savesInFlight === 0) set({ settings, settingsLoadError: null });
      // Only on the first load: echoing every `settings.changed` would make two windows ping-pong.
      if (firstLoad) rememberArea(get().area);
    };

    /** Sends a patch; `fields` are the ones whose save state the UI follows (none for quiet saves). */
    const send = async (patch: SettingsPatch, fields: readonly SettingsField[]): Promise<boolean> => {
      const quiet = fields.length === 0;
      savesInFlight++;
      if (!quiet) userSavesInFlight++;
      const settle = (): void => {
        savesInFlight--;
        if (!quiet) userSavesInFlight--;
      };
      try {
        const saved = await client.call('settings.update', patch);
        settle();
        acceptSettings(saved);
        if (!quiet) {
          set((state) => ({
            fieldSaves: { ...state.fieldSaves, ...fieldStates(fields, { status: 'saved' }) },
            saveStatus: userSavesInFlight > 0 ? 'saving' : 'saved',
          }));
        }
        return true;
      } catch (error) {
        settle();
        const message = errorMessage(error);
        if (quiet) {
          console.warn('Mixdeck could not remember the last area:', message);
          return false;
        }
        set((state) => {
          let settings = state.settings;
          if (confirmed) settings = savesInFlight === 0 ? confirmed : settings && revertFields(settings, confirmed, fields);
          return {
            settings,
            fieldSaves: { ...state.fieldSaves, ...fieldStates(fields, { status: 'error', message }) },
            saveStatus: 'error',
          };
        });
        return false;
      }
    };

    const rememberArea = (area: Area): void => {
      if (!confirmed || confirmed.ui.lastArea === area) return;
      confirmed = applyPatch(confirmed, { ui: { lastArea: area } });
      void send({ ui: { lastArea: area } }, []);
    };

    const loadInfo = async (): Promise<void> => {
      try {
        set({ info: await client.call('app.info', {}) });
      } catch (error) {
        get().notify('warning', `Could not read the app's version: ${errorMessage(error)}`);
      }
    };

    return {
      client,
      area: options.initialArea ?? 'broadcast',
      connection: client.connectionState,
      transport: client.transport,
      info: null,
      settings: null,
      settingsLoadError: null,
      fieldSaves: {},
      saveStatus: 'idle',
      rttMs: null,
      notices: [],
      shortcutsOpen: false,

      start() {
        let everConnected = false;
        const stops = [
          client.onConnectionChange((connection) => {
            set({ connection, ...(connection === 'connected' ? {} : { rttMs: null }) });
            if (connection !== 'connected') return;
            // Events sent while we were away are lost: read everything again after a reconnect.
            if (everConnected) {
              void loadInfo();
              void get().reloadSettings();
            }
            everConnected = true;
            // Not at once: the first answers after connecting queue behind the page's own loading.
            setTimeout(() => void get().ping(), FIRST_PING_DELAY_MS);
          }),
          client.on('settings.changed', (settings) => acceptSettings(settings)),
          client.on('app.notice', ({ level, message }) => get().notify(level, message)),
        ];
        void loadInfo();
        void get().reloadSettings();
        const timer = setInterval(() => void get().ping(), pingIntervalMs);
        return () => {
          clearInterval(timer);
          for (const stop of stops) stop();
        };
      },

      navigate(area) {
        restoreLastArea = false;
        if (get().area !== area) set({ area });
        rememberArea(area);
      },

      async saveSettings(patch) {
        const fields = fieldsOfPatch(patch);
        set((state) => ({
          settings: state.settings ? applyPatch(state.settings, patch) : state.settings,
          fieldSaves: { ...state.fieldSaves, ...fieldStates(fields, { status: 'saving' }) },
          saveStatus: 'saving',
        }));
        return send(patch, fields);
      },

      async resetSection(section) {
        set({ saveStatus: 'saving' });
        try {
          const settings = await client.call('settings.reset', { section });
          acceptSettings(settings);
          set((state) => ({
            fieldSaves: Object.fromEntries(
              Object.entries(state.fieldSaves).filter(([field]) => !field.startsWith(`${section}.`)),
            ),
            saveStatus: 'saved',
          }));
          return true;
        } catch (error) {
          set({ saveStatus: 'error' });
          get().notify('error', `Could not reset ${section} settings: ${errorMessage(error)}`);
          return false;
        }
      },

      async reloadSettings() {
        try {
          acceptSettings(await client.call('settings.get', {}));
        } catch (error) {
          set({ settingsLoadError: errorMessage(error) });
        }
      },

      async ping() {
        if (pingInFlight || client.connectionState !== 'connected') return;
        pingInFlight = true;
        const startedMs = performance.now();
        try {
          await client.call('app.ping', { nonce: String(startedMs) });
          set({ rttMs: performance.now() - startedMs });
        } catch {
          set({ rttMs: null });
        } finally {
          pingInFlight = false;
        }
      },

      notify(level, message) {
        const notice: Notice = { id: nextNoticeId++, level, message };
        set((state) => ({ notices: [...state.notices, notice].slice(-maxNotices) }));
      },

      dismissNotice(id) {
        set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
      },

      setShortcutsOpen(shortcutsOpen) {
        set({ shortcutsOpen });
      },
    };
  });
}

import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { BroadcastEncodeProfile, BroadcastPlatform, BroadcastPlatformPreset, BroadcastProfileOverrides, BroadcastTarget } from '../../../shared/contract';
import { PLATFORM_IDS } from '../../../shared/contract';
import type { FormProblem } from '../store';
import { useBroadcast } from '../use-broadcast';
import { PLATFORM_COLOURS } from './HealthGraph';

const OTHER_SERVER = '__other__';
type ProfileField = 'width' | 'height' | 'fps' | 'videoBitrateKbps' | 'audioBitrateKbps' | 'keyframeSec';
const PROFILE_FIELDS: readonly { field: ProfileField; label: string; unit: string }[] = [
  { field: 'width', label: 'Width', unit: 'px' },
  { field: 'height', label: 'Height', unit: 'px' },
  { field: 'fps', label: 'Frame rate', unit: 'fps' },
  { field: 'videoBitrateKbps', label: 'Video', unit: 'kbps' },
  { field: 'audioBitrateKbps', label: 'Audio', unit: 'kbps' },
  { field: 'keyframeSec', label: 'Keyframe', unit: 's' },
];

const FALLBACK_NAMES: Readonly<Record<BroadcastPlatform, string>> = {
  twitch: 'Twitch',
  youtube: 'YouTube',
  facebook: 'Facebook',
  tiktok: 'TikTok',
  kick: 'Kick',
  custom: 'Custom RTMP',
};

function initialForm(editing: BroadcastTarget | null, presets: readonly BroadcastPlatformPreset[]) {
  if (!editing) return { platform: 'twitch' as BroadcastPlatform, name: '', serverChoice: '', customServer: '', profileText: {} };
  const listed = presets.find((candidate) => candidate.id === editing.platform)?.servers ?? [];
  const index = editing.serverIsCustom ? listed.findIndex((server) => server.url === editing.server) : 0;
  const custom = listed.length === 0 || index < 0;
  return {
    platform: editing.platform,
    name: editing.name,
    serverChoice: custom ? (listed.length ? OTHER_SERVER : '') : index === 0 ? '' : listed[index]!.url,
    customServer: custom && editing.serverIsCustom ? editing.server : '',
    profileText: Object.fromEntries(
      PROFILE_FIELDS.filter(({ field }) => editing.overrides[field] !== undefined).map(({ field }) => [field, String(editing.overrides[field])]),
    ) as Partial<Record<ProfileField, string>>,
  };
}

function withoutFormFields(overrides: BroadcastProfileOverrides): BroadcastProfileOverrides {
  const kept: Record<string, unknown> = { ...overrides };
  for (const { field } of PROFILE_FIELDS) delete kept[field];
  return kept as BroadcastProfileOverrides;
}

function problemFor(problems: readonly FormProblem[], ...paths: string[]): string | null {
  const found = problems.filter((problem) => paths.some((path) => problem.path === path || problem.path.startsWith(`${path}.`)));
  return found.length ? found.map((problem) => problem.message).join(' ') : null;
}

/**
 * Adds a target, or edits a saved one (`editing`): the platform's preset is shown and every part
 * of it can be overridden. A target on air during a set is restarted with its new settings.
 */
export function AddTargetDialog({ open, onClose, editing = null }: { open: boolean; onClose(): void; editing?: BroadcastTarget | null }) {
  const presets = useBroadcast((state) => state.presets);
  const addTarget = useBroadcast((state) => state.addTarget);
  const editTarget = useBroadcast((state) => state.editTarget);
  const onAir = useBroadcast((state) => {
    const status = editing ? state.statuses[editing.id]?.state : undefined;
    return status === 'live' || status === 'connecting' || status === 'reconnecting';
  });
  const dialog = useRef<HTMLDialogElement>(null);
  const formId = useId();
  // Editing starts from the saved target (mounted afresh per target): its server, name and overrides, never its key.
  const [initial] = useState(() => initialForm(editing, presets));
  const [platform, setPlatform] = useState<BroadcastPlatform>(initial.platform);
  const [name, setName] = useState(initial.name);
  const [serverChoice, setServerChoice] = useState(initial.serverChoice);
  const [customServer, setCustomServer] = useState(initial.customServer);
  const [streamKey, setStreamKey] = useState('');
  const [profileText, setProfileText] = useState<Partial<Record<ProfileField, string>>>(initial.profileText);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; problems: FormProblem[] } | null>(null);
  const preset = useMemo(() => presets.find((candidate) => candidate.id === platform) ?? null, [presets, platform]);
  const servers = preset?.servers ?? [];
  const usesOtherServer = servers.length === 0 || serverChoice === OTHER_SERVER;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);


  const choosePlatform = (next: BroadcastPlatform): void => {
    setPlatform(next);
    setServerChoice('');
    setCustomServer('');
    setProfileText({});
    setError(null);
  };

  const reset = (): void => {
    setName('');
    setStreamKey('');
    setCustomServer('');
    setServerChoice('');
    setProfileText({});
    setError(null);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (saving) return;
    const overrides: BroadcastProfileOverrides = {};
    const problems: FormProblem[] = [];
    for (const { field, label } of PROFILE_FIELDS) {
      const text = profileText[field]?.trim();
      if (!text) continue;
      const value = Number(text);
      if (!Number.isFinite(value) || value <= 0) problems.push({ path: `overrides.${field}`, message: `${label} must be a positive number.` });
      else if (preset && value !== preset.profile[field]) (overrides as Record<ProfileField, number>)[field] = value;
    }
    const server = usesOtherServer ? customServer.trim() : serverChoice || undefined;
    if (usesOtherServer && !server && (preset?.serverRequired ?? true)) {
      problems.push({ path: 'server', message: `${preset?.name ?? 'This platform'} needs the server address from your account.` });
    }
    if (problems.length) {
      setError({ message: 'Check the fields marked below.', problems });
      return;
    }
    setSaving(true);
    const result = editing
      ? await editTarget(
          editing.id,
          {
            name: name.trim() || undefined,
            // No server typed and none chosen: back to the preset's default.
            server: server || null,
            ...(streamKey.trim() ? { streamKey: streamKey.trim() } : {}),
            // Settings this form does not show (the x264 preset, the audio rate) are kept.
            overrides: { ...withoutFormFields(editing.overrides), ...overrides },
          },
          onAir,
        )
      : await addTarget({
          platform,
          name: name.trim() || undefined,
          server: server || undefined,
          streamKey: streamKey.trim() || undefined,
          overrides: Object.keys(overrides).length ? overrides : undefined,
        });
    setSaving(false);
    if (result.ok) {
      reset();
      onClose();
    } else {
      // Never keep a refused key on screen longer than needed, but let the user fix it: the field stays filled.
      setError({ message: result.message, problems: result.problems });
    }
  };

  const problems = error?.problems ?? [];
  const serverProblem = problemFor(problems, 'server');
  const keyProblem = problemFor(problems, 'streamKey');
  const limits = preset?.limits;

  return (
    <dialog
      ref={dialog}
      className="bc-dialog bc-dialog-wide"
      aria-labelledby={`${formId}-title`}
      data-testid={editing ? 'edit-target-dialog' : 'add-target-dialog'}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2 id={`${formId}-title`} className="bc-dialog-title">
          {editing ? `Edit ${editing.name}` : 'Add a target'}
        </h2>
        {editing && onAir ? (
          <p className="bc-note" data-testid="edit-restarts">
            {editing.name} is on air: saving restarts it with the new settings. The other targets are untouched.
          </p>
        ) : null}
        <fieldset className="bc-platforms">
          <legend className="bc-field-label">Platform</legend>
          {PLATFORM_IDS.map((id) => (
            <label key={id} className={`bc-platform-choice${platform === id ? ' bc-selected' : ''}`}>
              <input type="radio" name="platform" value={id} checked={platform === id} disabled={editing !== null && id !== platform} onChange={() => choosePlatform(id)} data-testid={`platform-${id}`} />
              <span className="bc-platform-dot" style={{ background: PLATFORM_COLOURS[id] }} aria-hidden="true" />
              {presets.find((candidate) => candidate.id === id)?.name ?? FALLBACK_NAMES[id]}
            </label>
          ))}
        </fieldset>

        <div className="bc-form-grid">
          <label className="bc-field">
            <span className="bc-field-label">Name</span>
            <input className="bc-input" value={name} onChange={(event) => setName(event.target.value)} placeholder={preset?.name ?? FALLBACK_NAMES[platform]} maxLength={80} data-testid="target-name" />
          </label>

          {servers.length > 0 ? (
            <label className="bc-field">
              <span className="bc-field-label">Ingest server</span>
              <select className="bc-input" value={serverChoice} onChange={(event) => setServerChoice(event.target.value)} data-testid="target-server-choice">
                {servers.map((server, index) => (
                  <option key={server.url} value={index === 0 ? '' : server.url}>
                    {server.name} — {server.url}
                  </option>
                ))}
                <option value={OTHER_SERVER}>Other server…</option>
              </select>
            </label>
          ) : null}

          {usesOtherServer ? (
            <label className="bc-field bc-field-wide">
              <span className="bc-field-label">Server URL{preset?.serverRequired ? '' : ' (optional)'}</span>
              <input
                className="bc-input mono"
                value={customServer}
                onChange={(event) => setCustomServer(event.target.value)}
                placeholder={platform === 'tiktok' ? 'rtmp://push-rtmp-….tiktokcdn.com/game/ (from TikTok LIVE Producer)' : 'rtmp://server/app'}
                aria-invalid={serverProblem ? true : undefined}
                aria-describedby={serverProblem ? `${formId}-server-error` : undefined}
                spellCheck={false}
                data-testid="target-server"
              />
              {serverProblem ? (
                <span className="bc-field-error" id={`${formId}-server-error`}>
                  {serverProblem}
                </span>
              ) : null}
            </label>
          ) : null}

          <label className="bc-field bc-field-wide">
            <span className="bc-field-label">Stream key</span>
            <input
              className="bc-input mono"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={streamKey}
              onChange={(event) => setStreamKey(event.target.value)}
              placeholder={editing?.keySet ? `Key set ••${editing.keyHint?.slice(-2) ?? ''}; leave empty to keep it` : (preset?.keyPatternHint ?? 'Paste the key from the platform')}
              aria-invalid={keyProblem ? true : undefined}
              aria-describedby={`${formId}-key-help`}
              data-testid="target-key"
            />
            <span className="bc-field-help" id={`${formId}-key-help`}>
              {keyProblem ? <span className="bc-field-error">{keyProblem} </span> : null}
              Stored encrypted on this computer. It is never shown again, only “key set”.
            </span>
          </label>
        </div>

        <fieldset className="bc-profile">
          <legend className="bc-field-label">
            Encoding {preset ? <span className="muted">· preset values shown; type to override</span> : null}
          </legend>
          <div className="bc-profile-grid">
            {PROFILE_FIELDS.map(({ field, label, unit }) => {
              const fieldProblem = problemFor(problems, `overrides.${field}`);
              const presetValue = preset ? String((preset.profile as BroadcastEncodeProfile)[field]) : '';
              return (
                <label key={field} className="bc-field">
                  <span className="bc-field-label">
                    {label} <span className="muted">{unit}</span>
                  </span>
                  <input
                    className="bc-input numeric"
                    inputMode="decimal"
                    value={profileText[field] ?? presetValue}
                    onChange={(event) => setProfileText((current) => ({ ...current, [field]: event.target.value }))}
                    aria-invalid={fieldProblem ? true : undefined}
                    data-testid={`profile-${field}`}
                  />
                  {fieldProblem ? <span className="bc-field-error">{fieldProblem}</span> : null}
                </label>
              );
            })}
          </div>
          {limits ? (
            <p className="bc-field-help">
              {preset?.name} accepts up to {limits.maxVideoBitrateKbps.toLocaleString('en')} kbps video and {limits.maxAudioBitrateKbps} kbps audio, a
              keyframe at least every {limits.maxKeyframeSec} s, {limits.maxFps} fps
              {limits.orientation === 'portrait' ? ', vertical 9:16' : limits.orientation === 'landscape' ? ', 16:9' : ''}
              {limits.maxDurationSec ? `; it ends a broadcast after ${Math.round(limits.maxDurationSec / 3600)} h` : ''}.
            </p>
          ) : null}
        </fieldset>

        {error ? (
          <p className="bc-alert" role="alert" data-testid="add-target-error">
            {error.message}
          </p>
        ) : null}
        <div className="bc-dialog-actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              reset();
              onClose();
            }}
          >
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={saving} data-testid="save-target">
            {saving ? 'Saving…' : editing && onAir ? 'Save and restart' : 'Save target'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

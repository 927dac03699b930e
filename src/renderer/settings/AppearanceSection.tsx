import { useEffect, useRef, useState } from 'react';
import { THEMES, type Settings } from '../../shared/contract';
import { useShell } from '../app/store-context';
import { SettingRow, SettingsSection, useFieldProps } from './controls';

type Theme = (typeof THEMES)[number];

const THEME_TEXT: Record<Theme, { label: string; description: string }> = {
  dark: { label: 'Dark', description: 'For most rooms' },
  booth: { label: 'Booth', description: 'Darker and warm, low glare' },
  light: { label: 'Light', description: 'For daylight' },
};

const SCALE_MIN = 75;
const SCALE_MAX = 200;
/** The slider saves once it rests, so dragging it does not resize the page under the pointer. */
const SCALE_SAVE_DELAY_MS = 400;

function ThemePicker({ theme }: { theme: Theme }) {
  const save = useShell((state) => state.saveSettings);
  const fieldProps = useFieldProps('appearance.theme');
  return (
    <div className="theme-options" role="radiogroup" aria-label="Theme" {...fieldProps}>
      {THEMES.map((option) => (
        <label key={option} className="theme-option" data-testid={`theme-${option}`}>
          <input
            type="radio"
            name="theme"
            value={option}
            checked={theme === option}
            onChange={() => void save({ appearance: { theme: option } })}
          />
          {/* The preview carries its own data-theme, so it is drawn with that theme's colours. */}
          <span className="theme-preview" data-theme={option} aria-hidden="true">
            <span className="theme-preview-rail" />
            <span className="theme-preview-main">
              <span className="theme-preview-line" />
              <span className="theme-preview-line short" />
              <span className="theme-preview-accent" />
            </span>
          </span>
          <span className="theme-option-text">
            <span className="theme-option-label">{THEME_TEXT[option].label}</span>
            <span className="theme-option-description">{THEME_TEXT[option].description}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

function ScaleSlider({ percent }: { percent: number }) {
  const save = useShell((state) => state.saveSettings);
  const fieldProps = useFieldProps('appearance.uiScalePercent');
  const [draft, setDraft] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const change = (value: number): void => {
    setDraft(value);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void save({ appearance: { uiScalePercent: value } }).then(() => setDraft(null));
    }, SCALE_SAVE_DELAY_MS);
  };
  const shown = draft ?? percent;

  return (
    <div className="scale-control">
      <input
        id="ui-scale"
        type="range"
        className="range"
        min={SCALE_MIN}
        max={SCALE_MAX}
        step={5}
        value={shown}
        onChange={(event) => change(Number(event.target.value))}
        aria-valuetext={`${shown} percent`}
        data-testid="ui-scale"
        {...fieldProps}
      />
      <output htmlFor="ui-scale" className="scale-value numeric">
        {shown} %
      </output>
      <button type="button" className="button button-ghost button-small" disabled={shown === 100} onClick={() => change(100)}>
        100 %
      </button>
    </div>
  );
}

export function AppearanceSection({ appearance }: { appearance: Settings['appearance'] }) {
  const save = useShell((state) => state.saveSettings);
  const reduceMotionProps = useFieldProps('appearance.reduceMotion');
  return (
    <SettingsSection section="appearance" description="How Mixdeck looks on this machine.">
      <SettingRow field="appearance.theme" label="Theme" description="Booth is the darkest, with a warm accent for a dim booth.">
        <ThemePicker theme={appearance.theme} />
      </SettingRow>
      <SettingRow field="appearance.uiScalePercent" label="UI scale" htmlFor="ui-scale" description="Larger text and controls, for a laptop across the booth.">
        <ScaleSlider percent={appearance.uiScalePercent} />
      </SettingRow>
      <SettingRow field="appearance.reduceMotion" label="Reduce motion" htmlFor="reduce-motion" description="Turn off animations and transitions.">
        <label className="switch">
          <input
            id="reduce-motion"
            type="checkbox"
            role="switch"
            checked={appearance.reduceMotion}
            onChange={(event) => void save({ appearance: { reduceMotion: event.target.checked } })}
            {...reduceMotionProps}
          />
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span className="switch-text">{appearance.reduceMotion ? 'On' : 'Off'}</span>
        </label>
      </SettingRow>
    </SettingsSection>
  );
}

import type { ReactNode } from 'react';
import type { ResettableSection, SettingsField } from '../app/store';
import { useShell } from '../app/store-context';
import { CheckIcon } from '../shell/icons';

export const statusId = (field: SettingsField): string => `status-${field.replace('.', '-')}`;

/** Props that tie a control to its field's status line, for screen readers and for styling. */
export function useFieldProps(field: SettingsField): { 'aria-describedby': string; 'aria-invalid': boolean } {
  const save = useShell((state) => state.fieldSaves[field]);
  return { 'aria-describedby': statusId(field), 'aria-invalid': save?.status === 'error' };
}

/** The line under a control: main's error sentence after a refused save, or a short-lived "Saved". */
export function FieldStatus({ field }: { field: SettingsField }) {
  const save = useShell((state) => state.fieldSaves[field]);
  const id = statusId(field);
  if (save?.status === 'error') {
    return (
      <p id={id} className="field-status field-error" role="alert" data-testid={`error-${field}`}>
        {save.message}
      </p>
    );
  }
  if (save?.status === 'saved') {
    return (
      <p id={id} className="field-status field-saved" data-testid={`saved-${field}`}>
        <CheckIcon size={14} /> Saved
      </p>
    );
  }
  return <p id={id} className="field-status" />;
}

export function SettingRow({
  field,
  label,
  htmlFor,
  description,
  children,
}: {
  field: SettingsField;
  label: string;
  /** The control's id, when the label can point at one control. */
  htmlFor?: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="setting-row" data-field={field}>
      <div className="setting-label">
        {htmlFor ? <label htmlFor={htmlFor}>{label}</label> : <span className="setting-label-text">{label}</span>}
        {description ? <p className="setting-description">{description}</p> : null}
      </div>
      <div className="setting-control">
        {children}
        <FieldStatus field={field} />
      </div>
    </div>
  );
}

const SECTION_LABELS: Record<ResettableSection, string> = { audio: 'Audio', folders: 'Folders', appearance: 'Appearance' };

export function SettingsSection({
  section,
  description,
  children,
}: {
  section: ResettableSection;
  description: string;
  children: ReactNode;
}) {
  const resetSection = useShell((state) => state.resetSection);
  const titleId = `settings-${section}-title`;
  return (
    <section className="panel settings-section" aria-labelledby={titleId} data-testid={`settings-${section}`}>
      <header className="settings-section-header">
        <div>
          <h2 className="panel-title" id={titleId}>
            {SECTION_LABELS[section]}
          </h2>
          <p className="settings-section-description">{description}</p>
        </div>
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => void resetSection(section)}
          aria-label={`Reset ${SECTION_LABELS[section]} to defaults`}
          data-testid={`reset-${section}`}
        >
          Reset section to defaults
        </button>
      </header>
      <div className="settings-rows">{children}</div>
    </section>
  );
}

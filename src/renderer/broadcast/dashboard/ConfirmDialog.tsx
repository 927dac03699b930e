import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal question with the browser's own <dialog>: focus moves into it, Escape cancels, and
 * focus returns to the button that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
  testId,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
  testId: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="bc-dialog"
      aria-labelledby={`${testId}-title`}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${testId}-title`} className="bc-dialog-title">
        {title}
      </h2>
      <div className="bc-dialog-body">{children}</div>
      <div className="bc-dialog-actions">
        {/* A destructive question starts on Cancel, so Enter never ends a set by accident. */}
        <button type="button" className="button" onClick={onCancel} autoFocus={danger}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={`button ${danger ? 'button-danger' : 'button-primary'}`}
          onClick={onConfirm}
          disabled={busy}
          autoFocus={!danger}
        >
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

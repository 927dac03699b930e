import { useEffect } from 'react';
import type { Notice } from '../app/store';
import { useShell } from '../app/store-context';
import { CloseIcon } from './icons';

const LINGER_MS: Record<Notice['level'], number> = { info: 6_000, warning: 10_000, error: 15_000 };

function Toast({ notice }: { notice: Notice }) {
  const dismiss = useShell((state) => state.dismissNotice);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(notice.id), LINGER_MS[notice.level]);
    return () => clearTimeout(timer);
  }, [dismiss, notice]);
  return (
    <div className={`toast toast-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'} data-testid="toast">
      <span className="toast-bar" aria-hidden="true" />
      <p className="toast-message">{notice.message}</p>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
        <CloseIcon size={16} />
      </button>
    </div>
  );
}

/** Messages from main (`app.notice`) and from the shell itself, newest at the bottom. */
export function Toasts() {
  const notices = useShell((state) => state.notices);
  return (
    <div className="toasts" aria-live="polite">
      {notices.map((notice) => (
        <Toast key={notice.id} notice={notice} />
      ))}
    </div>
  );
}

import type { ReactNode } from 'react';

export function EmptyState({
  icon,
  title,
  children,
  actions,
  testId,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  testId: string;
}) {
  return (
    <section className="empty-state" data-testid={testId} aria-label={title}>
      <div className="empty-state-icon" aria-hidden="true">
        {icon}
      </div>
      <h2 className="empty-state-title">{title}</h2>
      <div className="empty-state-text">{children}</div>
      {actions ? <div className="empty-state-actions">{actions}</div> : null}
    </section>
  );
}

/** A button for something not built yet: still focusable, so its "Coming soon" tooltip can be read. */
export function ComingSoonButton({ children, primary = false }: { children: ReactNode; primary?: boolean }) {
  return (
    <button
      type="button"
      className={`button${primary ? ' button-primary' : ''}`}
      aria-disabled="true"
      title="Coming soon"
      onClick={(event) => event.preventDefault()}
    >
      {children}
      <span className="soon-badge">Soon</span>
    </button>
  );
}

import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Where the failure happened, in words: "the Library", "Mixdeck". */
  place: string;
}

interface State {
  error: Error | null;
}

/** Shows a readable message instead of a blank window when rendering throws. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`${this.props.place} failed to render`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="crash" role="alert" data-testid="error-boundary">
        <h2>Something went wrong in {this.props.place}</h2>
        <p className="crash-message">{error.message || 'An unexpected error occurred.'}</p>
        <p className="crash-hint">Your settings and files are safe. Try again, or reload the window if it keeps happening.</p>
        <div className="crash-actions">
          <button type="button" className="button button-primary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload window
          </button>
        </div>
      </div>
    );
  }
}

import { useMemo } from 'react';
import { overloadNotices } from '../overload-notices';
import { useBroadcast } from '../use-broadcast';

/**
 * "Encoding overloaded", as OBS says it, for each encode that falls behind real time: who is
 * affected, and the lighter setting to try. Applying it needs the DJ's click; the set goes on.
 */
export function OverloadPanel() {
  const setInfo = useBroadcast((state) => state.set);
  const targets = useBroadcast((state) => state.targets);
  const busy = useBroadcast((state) => state.busy);
  const applyRemedy = useBroadcast((state) => state.applyRemedy);
  const notices = useMemo(() => overloadNotices(setInfo, Object.fromEntries(targets.map((target) => [target.id, target.name]))), [setInfo, targets]);
  if (notices.length === 0) return null;
  return (
    <>
      {notices.map((notice) => (
        <div key={notice.encodeId} className="bc-alert bc-alert-warn bc-alert-banner" role="alert" data-testid="overload-notice" data-encode-id={notice.encodeId}>
          <span>
            {notice.reason} {notice.targetNames.length > 0 ? `Affects ${notice.targetNames.join(', ')}.` : ''}
            {notice.remedy ? <span data-testid="overload-remedy"> Suggested: {notice.remedy}</span> : null}
          </span>
          {notice.remedy ? (
            <button
              type="button"
              className="button button-small"
              disabled={busy !== null}
              onClick={() => void applyRemedy(notice.encodeId)}
              title="The set goes on; each platform re-joins the lighter stream once."
              data-testid="apply-remedy"
            >
              {busy === 'remedy' ? 'Applying…' : 'Apply now'}
            </button>
          ) : null}
        </div>
      ))}
    </>
  );
}

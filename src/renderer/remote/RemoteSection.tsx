import { useEffect, useState } from 'react';
import type { CallOutput, RemoteStatus } from '../../shared/contract';
import { errorMessage } from '../app/store';
import { useShell } from '../app/store-context';

type PairingCode = CallOutput<'remote.newCode'>;

function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Settings › Remote: switch the phone remote on, show a pairing code and its QR code, revoke phones. */
export function RemoteSection() {
  const client = useShell((state) => state.client);
  const [status, setStatus] = useState<RemoteStatus | null>(null);
  const [pairing, setPairing] = useState<PairingCode | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    client.call('remote.status', {}).then(
      (answer) => current && setStatus(answer),
      (failure: unknown) => current && setMessage(errorMessage(failure)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (failure) {
      setMessage(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const switchTo = (enabled: boolean, lanAccess: boolean): Promise<void> =>
    run(async () => {
      setPairing(null);
      setStatus(enabled ? await client.call('remote.enable', { lanAccess }) : await client.call('remote.disable', {}));
    });

  const showCode = (): Promise<void> =>
    run(async () => {
      setPairing(await client.call('remote.newCode', {}));
      setStatus(await client.call('remote.status', {}));
    });

  const revoke = (id: string): Promise<void> =>
    run(async () => {
      const { devices } = await client.call('remote.revoke', { id });
      setStatus((previous) => (previous ? { ...previous, devices } : previous));
    });

  return (
    <section className="panel settings-section" aria-labelledby="settings-remote-title" data-testid="settings-remote">
      <header className="settings-section-header">
        <div>
          <h2 className="panel-title" id="settings-remote-title">
            Remote
          </h2>
          <p className="settings-section-description">
            A phone as a remote: the targets’ status, Go Live and End, now playing and the player’s transport. Off until you switch it on; a phone pairs with a one-time code.
          </p>
        </div>
      </header>
      <div className="settings-rows">
        <label className="setting-row">
          <input type="checkbox" checked={status?.enabled ?? false} disabled={busy || !status} onChange={(event) => void switchTo(event.target.checked, false)} data-testid="remote-enabled" />{' '}
          Phone remote
        </label>
        {status?.enabled ? (
          <>
            <label className="setting-row">
              <input type="checkbox" checked={status.lanAccess} disabled={busy} onChange={(event) => void switchTo(true, event.target.checked)} data-testid="remote-lan" /> Reachable from
              phones on this network (otherwise from this computer only)
            </label>
            <p data-testid="remote-url">
              Open <strong>{status.url}</strong> on the phone.
            </p>
            <button type="button" className="button" disabled={busy} onClick={() => void showCode()} data-testid="remote-new-code">
              Show a pairing code
            </button>
            {pairing ? (
              <div data-testid="remote-pairing">
                <p>
                  Code <strong data-testid="remote-code">{pairing.code}</strong>, valid once, until {formatTime(pairing.expiresAtMs)}.
                </p>
                <img src={pairing.qrSvgDataUrl} alt={`QR code of ${pairing.url}`} width={160} height={160} />
              </div>
            ) : null}
            <h3>Paired phones</h3>
            {status.devices.length === 0 ? (
              <p className="muted">No phone is paired.</p>
            ) : (
              <ul data-testid="remote-devices">
                {status.devices.map((device) => (
                  <li key={device.id}>
                    {device.name} · paired {formatTime(device.pairedAtMs)}, until {formatTime(device.expiresAtMs)}{' '}
                    <button type="button" className="button" disabled={busy} onClick={() => void revoke(device.id)}>
                      Revoke
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : null}
        {message ? <p role="alert">{message}</p> : null}
      </div>
    </section>
  );
}

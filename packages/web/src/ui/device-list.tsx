/**
 * Settings → Devices: where the account is signed in, most recently active first, with a
 * "Sign out" button for every device but this one (which logs out under Account).
 */
import { useCallback, useEffect, useState } from 'react';
import type { DeviceSession } from '@parley/client';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/errors.js';
import { useClientContext } from '../state/client-context.js';

export function DeviceList() {
  const { t, fmt } = useI18n();
  const { client } = useClientContext();
  const [devices, setDevices] = useState<DeviceSession[] | null>(null);
  const [signingOut, setSigningOut] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setDevices(await client.sessions());
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [client, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const signOut = async (id: number) => {
    setSigningOut(id);
    setError(null);
    try {
      await client.revokeSession(id);
      await load();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setSigningOut(null);
    }
  };

  return (
    <div className="settings-devices">
      <p className="muted">{t.devicesHint}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {devices === null ? (
        !error && <p className="muted">{t.devicesLoading}</p>
      ) : (
        <ul className="device-list" aria-label={t.devices}>
          {devices.map((d) => (
            <li key={d.id} className="device">
              <div className="device-text">
                <span className="device-name">{d.device}</span>
                <span className="muted" title={fmt.full(d.lastSeenAt)}>
                  {d.current ? t.thisDevice : t.deviceSeen(fmt.full(d.lastSeenAt))}
                </span>
              </div>
              {!d.current && (
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`${t.deviceSignOut}: ${d.device}`}
                  disabled={signingOut !== null}
                  onClick={() => void signOut(d.id)}
                >
                  {signingOut === d.id ? t.deviceSigningOut : t.deviceSignOut}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

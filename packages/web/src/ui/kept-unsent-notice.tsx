/**
 * On the login screen after a session ended without a logout here (logged out everywhere from
 * another device, password changed, expired): says that messages written on this device were
 * never sent and are still stored in it, and lets the person keep them (they go out when the same
 * user logs in again; the SDK never sends them as anyone else) or delete them from the device.
 */
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useClient } from '../state/client-context.js';
import { discardDrafts } from '../state/drafts.js';

type Choice = 'ask' | 'kept' | 'discarded';

export function KeptUnsentNotice({ onKeep }: { onKeep: (username: string) => void }) {
  const { t } = useI18n();
  const client = useClient();
  const [choice, setChoice] = useState<Choice>('ask');
  const [failed, setFailed] = useState(false);
  if (choice === 'discarded') {
    return (
      <p className="notice" role="status">
        {t.unsentDiscarded}
      </p>
    );
  }
  const kept = client.keptUnsent();
  if (!kept) return null;
  const count = kept.entries.length;
  const name = kept.user.username;
  if (choice === 'kept') {
    return (
      <p className="notice" role="status">
        {t.unsentKeptFor(count, name)}
      </p>
    );
  }

  const discard = () => {
    setFailed(false);
    client.discardKeptUnsent().then(
      () => {
        discardDrafts(kept.user.id);
        setChoice('discarded');
      },
      () => setFailed(true),
    );
  };

  return (
    <section className="notice notice-warn kept-unsent" aria-label={t.unsentTitle}>
      <p>
        <strong>{t.unsentKept(count)}</strong> {t.unsentKeptHint(name)}
      </p>
      {failed && <p role="alert">{t.errGeneric}</p>}
      <div className="kept-unsent-actions">
        <button type="button" className="btn btn-small btn-danger" onClick={discard}>
          {t.discardUnsent}
        </button>
        <button
          type="button"
          className="btn btn-small btn-primary"
          onClick={() => {
            setChoice('kept');
            onKeep(name);
          }}
        >
          {t.keepUnsent}
        </button>
      </div>
    </section>
  );
}

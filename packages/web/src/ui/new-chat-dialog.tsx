/** Starts (or reopens) a one-to-one chat with someone by their username. */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/errors.js';
import { useClient } from '../state/client-context.js';
import type { ConversationSummary, User } from '../state/sdk.js';
import { Modal } from './modal.js';
import { TextField } from './text-field.js';

export function NewChatDialog({
  me,
  onOpened,
  onClose,
}: {
  me: User;
  onOpened: (summary: ConversationSummary) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '').toLowerCase();
    if (!name) return;
    if (name === me.username) return setError(t.cannotChatSelf);
    setBusy(true);
    setError(null);
    try {
      onOpened(await client.openDirect(name));
    } catch (e) {
      setError(errorText(t, e));
      setBusy(false);
    }
  };

  return (
    <Modal title={t.newChat} onClose={onClose}>
      <form className="modal-body" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={t.username}
          hint={t.newChatHint}
          data-autofocus
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          autoComplete="off"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={error !== null}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t.cancel}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !username.trim()}>
            {busy ? t.opening : t.startChatSubmit}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Sends a friend request: the exact username, and a note saying who is asking. */
import { useState, type FormEvent } from 'react';
import { FRIEND_NOTE_MAX_LENGTH } from '@parley/protocol';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/errors.js';
import { useClient } from '../state/client-context.js';
import type { User } from '../state/sdk.js';
import { Modal } from './modal.js';
import { TextField } from './text-field.js';

export function AddFriendDialog({ me, onClose }: { me: User; onClose: () => void }) {
  const { t } = useI18n();
  const client = useClient();
  const [username, setUsername] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '').toLowerCase();
    if (!name) return;
    if (name === me.username) return setError(t.cannotChatSelf);
    setBusy(true);
    setError(null);
    setSentTo(null);
    try {
      const user = await client.findUser(name);
      await client.sendFriendRequest(user.id, note.trim() === '' ? undefined : note.trim());
      setSentTo(user.username);
      setUsername('');
      setNote('');
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t.addFriend} onClose={onClose}>
      <form className="modal-body" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label={t.username}
          hint={t.addFriendHint}
          data-autofocus
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          autoComplete="off"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-invalid={error !== null}
        />
        <TextField
          label={t.friendNote}
          hint={t.friendNoteHint}
          maxLength={FRIEND_NOTE_MAX_LENGTH}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {sentTo && (
          <p className="form-success" role="status">
            {t.requestSent(sentTo)}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            {sentTo ? t.close : t.cancel}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !username.trim()}>
            {busy ? t.sendingRequest : t.sendRequest}
          </button>
        </div>
      </form>
    </Modal>
  );
}

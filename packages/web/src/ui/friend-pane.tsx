/**
 * One friend, in the main pane: start a chat, set the remark and grouping, remove, block.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { FRIEND_GROUPING_MAX_LENGTH, FRIEND_REMARK_MAX_LENGTH } from '@parley/protocol';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/errors.js';
import { useClient } from '../state/client-context.js';
import type { ConversationSummary, Friend } from '../state/sdk.js';
import { friendLabel } from '../state/use-contacts.js';
import { Avatar } from './avatar.js';
import { BackIcon, ChatIcon } from './icons.js';
import { TextField } from './text-field.js';

export function FriendPane({
  friend,
  onBack,
  onChat,
}: {
  friend: Friend;
  onBack: () => void;
  onChat: (summary: ConversationSummary) => void;
}) {
  const { t, fmt } = useI18n();
  const client = useClient();
  const [remark, setRemark] = useState(friend.remark ?? '');
  const [grouping, setGrouping] = useState(friend.grouping ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const name = friendLabel(friend);

  // Another device may change them: show what is stored now.
  useEffect(() => {
    setRemark(friend.remark ?? '');
    setGrouping(friend.grouping ?? '');
  }, [friend.remark, friend.grouping]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await action();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await client.editFriend(friend.user.id, {
        remark: remark.trim() === '' ? null : remark.trim(),
        grouping: grouping.trim() === '' ? null : grouping.trim(),
      });
      setSaved(true);
    });
  };

  return (
    <section className="friend-pane" aria-label={name}>
      <header className="chat-header">
        <button
          type="button"
          className="icon-btn mobile-only"
          aria-label={t.contacts}
          onClick={onBack}
        >
          <BackIcon />
        </button>
      </header>
      <div className="friend-card">
        <Avatar name={friend.user.username} size={72} />
        <h2>{name}</h2>
        {friend.remark !== null && <p className="muted">{friend.user.username}</p>}
        <p className="muted">{t.friendSince(fmt.day(friend.since, Date.now()))}</p>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() =>
            void run(async () => onChat(await client.openDirect(friend.user.username)))
          }
        >
          <ChatIcon size={18} />
          {t.sendMessage}
        </button>
      </div>
      <form className="friend-form" onSubmit={save} noValidate>
        <TextField
          label={t.remark}
          hint={t.remarkHint}
          maxLength={FRIEND_REMARK_MAX_LENGTH}
          value={remark}
          onChange={(e) => setRemark(e.target.value)}
        />
        <TextField
          label={t.grouping}
          hint={t.groupingHint}
          maxLength={FRIEND_GROUPING_MAX_LENGTH}
          value={grouping}
          onChange={(e) => setGrouping(e.target.value)}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {saved && (
          <p className="form-success" role="status">
            {t.saved}
          </p>
        )}
        <div className="modal-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t.save}
          </button>
        </div>
      </form>
      <div className="friend-danger">
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => {
            if (window.confirm(t.confirmRemove(name))) {
              void run(() => client.removeFriend(friend.user.id));
            }
          }}
        >
          {t.removeFriend}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm(t.confirmBlock(name))) void run(() => client.block(friend.user.id));
          }}
        >
          {t.block}
        </button>
      </div>
    </section>
  );
}

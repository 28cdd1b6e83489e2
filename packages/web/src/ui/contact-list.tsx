/**
 * The Contacts column: friend requests waiting (accept, decline, withdraw), friends under their
 * groupings (the remark shown, the username beside it), and blocked people (unblock).
 */
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/errors.js';
import { useClient } from '../state/client-context.js';
import type { ContactsState, FriendRequest, User } from '../state/sdk.js';
import { friendLabel, groupedFriends } from '../state/use-contacts.js';
import { Avatar } from './avatar.js';
import { AddPersonIcon, ChatIcon } from './icons.js';

interface Props {
  me: User;
  /** Back to the chat list (the phone layout has no rail). */
  onChats: () => void;
  contacts: ContactsState;
  activeId: number | null;
  onSelect: (userId: number) => void;
  onAddFriend: () => void;
  onSettings: () => void;
}

export function ContactList(props: Props) {
  const { me, contacts, activeId, onSelect, onAddFriend, onSettings } = props;
  const { t } = useI18n();
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  /** Runs one action on a person, showing a refusal above the list. */
  const act = (action: () => Promise<void>) => {
    setError(null);
    action().catch((e: unknown) => setError(errorText(t, e)));
  };
  const requests = contacts.incoming.length + contacts.outgoing.length;

  return (
    <section className="list-column contacts" aria-label={t.contacts}>
      <header className="list-header">
        <button
          type="button"
          className="icon-btn mobile-only"
          aria-label={t.myAccount(me.username)}
          onClick={onSettings}
        >
          <Avatar name={me.username} size={32} />
        </button>
        <div className="list-title">
          <h1>{t.contacts}</h1>
        </div>
        <button
          type="button"
          className="icon-btn mobile-only"
          aria-label={t.chats}
          onClick={props.onChats}
        >
          <ChatIcon />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={t.addFriend}
          title={t.addFriend}
          onClick={onAddFriend}
        >
          <AddPersonIcon />
        </button>
      </header>
      {error && (
        <p className="form-error contacts-error" role="alert">
          {error}
        </p>
      )}
      <div className="contacts-scroll">
        {requests > 0 && (
          <section aria-label={t.friendRequests}>
            {contacts.incoming.length > 0 && (
              <>
                <h2 className="contacts-heading">{t.requestsToYou}</h2>
                <ul className="contacts-items">
                  {contacts.incoming.map((r) => (
                    <RequestRow key={r.from.id} request={r} who={r.from}>
                      <button
                        type="button"
                        className="btn btn-small btn-primary"
                        aria-label={t.acceptFrom(r.from.username)}
                        onClick={() => act(() => client.acceptFriend(r.from.id))}
                      >
                        {t.accept}
                      </button>
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={t.declineFrom(r.from.username)}
                        onClick={() => act(() => client.declineFriend(r.from.id))}
                      >
                        {t.decline}
                      </button>
                    </RequestRow>
                  ))}
                </ul>
              </>
            )}
            {contacts.outgoing.length > 0 && (
              <>
                <h2 className="contacts-heading">{t.yourRequests}</h2>
                <ul className="contacts-items">
                  {contacts.outgoing.map((r) => (
                    <RequestRow key={r.to.id} request={r} who={r.to}>
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => act(() => client.cancelFriendRequest(r.to.id))}
                      >
                        {t.cancelRequest}
                      </button>
                    </RequestRow>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}

        <section aria-label={t.friends}>
          {contacts.friends.length === 0 ? (
            <div className="list-empty">
              <p className="list-empty-title">{t.noFriends}</p>
              <p>{t.noFriendsHint}</p>
              <button type="button" className="btn btn-primary" onClick={onAddFriend}>
                {t.addFriend}
              </button>
            </div>
          ) : (
            groupedFriends(contacts.friends).map(({ grouping, friends }) => (
              <div key={grouping ?? ''}>
                <h2 className="contacts-heading">{grouping ?? t.ungrouped}</h2>
                <ul className="contacts-items">
                  {friends.map((f) => (
                    <li key={f.user.id}>
                      <button
                        type="button"
                        className="contact"
                        aria-current={f.user.id === activeId ? 'true' : undefined}
                        onClick={() => onSelect(f.user.id)}
                      >
                        <Avatar name={f.user.username} size={40} />
                        <span className="contact-name">{friendLabel(f)}</span>
                        {f.remark !== null && <span className="muted">{f.user.username}</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ))
          )}
        </section>

        {contacts.blocked.length > 0 && (
          <section aria-label={t.blockedUsers}>
            <h2 className="contacts-heading">{t.blockedUsers}</h2>
            <ul className="contacts-items">
              {contacts.blocked.map((b) => (
                <li key={b.user.id} className="contact-row">
                  <Avatar name={b.user.username} size={32} />
                  <span className="contact-name">{b.user.username}</span>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => act(() => client.unblock(b.user.id))}
                  >
                    {t.unblock}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </section>
  );
}

function RequestRow({
  request,
  who,
  children,
}: {
  request: FriendRequest;
  who: User;
  children: ReactNode;
}) {
  return (
    <li className="contact-row request">
      <Avatar name={who.username} size={40} />
      <span className="request-text">
        <span className="contact-name">{who.username}</span>
        {request.note !== '' && <span className="request-note">{request.note}</span>}
      </span>
      <span className="request-actions">{children}</span>
    </li>
  );
}

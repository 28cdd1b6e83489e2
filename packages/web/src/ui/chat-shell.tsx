/**
 * The signed-in layout: navigation rail, conversation list and chat pane side by side on a
 * desktop, one at a time under 700 px. Owns which conversation is open and which dialog is up.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { useMessageNotifications, useTitleBadge } from '../state/attention.js';
import { useClient } from '../state/client-context.js';
import { useIdleReporter } from '../state/use-presence.js';
import { sortedConversations, totalUnread } from '../state/conversations.js';
import type { ConversationSummary, User } from '../state/sdk.js';
import { useDocumentVisible } from '../state/use-connection.js';
import { useContacts } from '../state/use-contacts.js';
import { useConversations } from '../state/use-conversations.js';
import { ChatPane } from './chat-pane.js';
import { ConversationList } from './conversation-list.js';
import { Logo, ComposeIcon } from './icons.js';
import { AddFriendDialog } from './add-friend-dialog.js';
import { ContactList } from './contact-list.js';
import { FriendPane } from './friend-pane.js';
import { NavRail, type Section } from './nav-rail.js';
import { NewChatDialog } from './new-chat-dialog.js';
import { SettingsDialog } from './settings-dialog.js';

type OpenDialog = 'new-chat' | 'add-friend' | 'settings' | null;

/** The open conversation lives in history.state, so the browser's Back closes it on a phone. */
function useOpenConversation(): [number | null, (id: number | null) => void] {
  const [openId, setOpenId] = useState<number | null>(() => readHistory(window.history.state));
  useEffect(() => {
    const onPop = (event: PopStateEvent) => setOpenId(readHistory(event.state));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const open = useCallback((id: number | null) => {
    const current = readHistory(window.history.state);
    if (id === current) return;
    if (id === null) {
      if (current !== null) window.history.back();
      return;
    }
    if (current === null) window.history.pushState({ conversation: id }, '');
    else window.history.replaceState({ conversation: id }, '');
    setOpenId(id);
  }, []);
  return [openId, open];
}

function readHistory(state: unknown): number | null {
  if (state && typeof state === 'object' && 'conversation' in state) {
    const id = (state as { conversation: unknown }).conversation;
    return typeof id === 'number' ? id : null;
  }
  return null;
}

export function ChatShell({ me }: { me: User }) {
  const client = useClient();
  const { t } = useI18n();
  const visible = useDocumentVisible();
  useIdleReporter(client);
  const [openId, open] = useOpenConversation();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [section, setSection] = useState<Section>('chats');
  const [friendId, setFriendId] = useState<number | null>(null);
  const contacts = useContacts(client);
  // A message arriving in the open chat is read at once only if the person is at its bottom in
  // a visible, focused tab; scrolled up, it counts as unread until they reach it.
  const [readingLatest, setReadingLatest] = useState(false);
  const conversations = useConversations(client, me.id, readingLatest ? openId : null);
  const { state, dispatch } = conversations;

  const items = useMemo(() => sortedConversations(state), [state]);
  const unread = totalUnread(state);
  useTitleBadge(unread, t.appName);

  const titleOf = useCallback(
    (id: number) => state.items.get(id)?.summary.info.peer.username ?? null,
    [state],
  );
  useMessageNotifications(client, me.id, titleOf, open);

  const onOpened = useCallback(
    (summary: ConversationSummary) => {
      dispatch({ type: 'opened', summary, now: Date.now() });
      setDialog(null);
      setSection('chats');
      open(summary.info.id);
    },
    [dispatch, open],
  );

  const active = openId !== null ? (state.items.get(openId) ?? null) : null;
  const friend =
    section === 'contacts' && friendId !== null
      ? (contacts.friends.find((f) => f.user.id === friendId) ?? null)
      : null;
  const paneOpen = section === 'contacts' ? friend !== null : active !== null;

  return (
    <div className={paneOpen ? 'shell shell-chat-open' : 'shell'}>
      <NavRail
        me={me}
        unread={unread}
        requests={contacts.incoming.length}
        section={section}
        onSection={setSection}
        onSettings={() => setDialog('settings')}
      />
      {section === 'contacts' ? (
        <ContactList
          me={me}
          contacts={contacts}
          activeId={friendId}
          onSelect={setFriendId}
          onAddFriend={() => setDialog('add-friend')}
          onSettings={() => setDialog('settings')}
          onChats={() => setSection('chats')}
        />
      ) : (
        <ConversationList
          me={me}
          items={items}
          loaded={state.loaded}
          loadFailed={conversations.loadFailed}
          onReload={conversations.reload}
          activeId={openId}
          onSelect={open}
          onNewChat={() => setDialog('new-chat')}
          onSettings={() => setDialog('settings')}
          requests={contacts.incoming.length}
          onContacts={() => setSection('contacts')}
        />
      )}
      <main className="pane">
        {section === 'contacts' ? (
          friend ? (
            <FriendPane
              key={friend.user.id}
              friend={friend}
              onBack={() => setFriendId(null)}
              onChat={onOpened}
            />
          ) : (
            <div className="welcome">
              <Logo size={72} />
              <p>{t.selectFriend}</p>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => setDialog('add-friend')}
              >
                {t.addFriend}
              </button>
            </div>
          )
        ) : active ? (
          <ChatPane
            key={active.summary.info.id}
            me={me}
            item={active}
            visible={visible}
            onBack={() => open(null)}
            onDiscarded={(clientMsgId) => dispatch({ type: 'discarded', clientMsgId })}
            onReadingLatest={setReadingLatest}
          />
        ) : (
          <div className="welcome">
            <Logo size={72} />
            <h2>{t.welcomeTitle}</h2>
            <p>{t.welcomeHint}</p>
            <button type="button" className="btn btn-primary" onClick={() => setDialog('new-chat')}>
              <ComposeIcon size={18} />
              {t.startChat}
            </button>
          </div>
        )}
      </main>
      {dialog === 'new-chat' && (
        <NewChatDialog me={me} onOpened={onOpened} onClose={() => setDialog(null)} />
      )}
      {dialog === 'add-friend' && <AddFriendDialog me={me} onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <SettingsDialog me={me} onClose={() => setDialog(null)} />}
    </div>
  );
}

/**
 * English strings: the reference dictionary. Its shape is `Messages`: every other dictionary must
 * have exactly these keys, with the same parameters for the ones that take arguments.
 */
export const en = {
  appName: 'Parley',
  loading: 'Loading…',
  close: 'Close',
  cancel: 'Cancel',
  tryAgain: 'Try again',

  // Login and registration
  authTagline: 'Chat with the people who matter, on a server you run.',
  authModes: 'Log in or create an account',
  logIn: 'Log in',
  createAccount: 'Create account',
  username: 'Username',
  password: 'Password',
  confirmPassword: 'Confirm password',
  usernameHint: '3–32 characters: lowercase letters, digits, _ . or -, starting with a letter.',
  passwordHint: (min: number) => `At least ${min} characters.`,
  loggingIn: 'Logging in…',
  creatingAccount: 'Creating account…',
  enterCredentials: 'Enter your username and password.',
  passwordsDiffer: 'The two passwords do not match.',
  usernameInvalid: 'Use 3–32 lowercase letters, digits, _ . or -, starting with a letter.',
  passwordTooShort: (min: number) => `The password needs at least ${min} characters.`,
  inviteCode: 'Invite code',
  inviteHint: 'This server is invite-only: ask its operator for a code.',
  inviteNeeded: 'Enter the invite code you were given.',
  sessionEnded: 'You were signed out on this device. Please log in again.',
  unsentTitle: 'Unsent messages',
  unsentKept: (n: number) =>
    n === 1
      ? '1 unsent message is kept on this device.'
      : `${n} unsent messages are kept on this device.`,
  unsentKeptHint: (name: string) =>
    `They are sent when ${name} logs in again here, and deleted if someone else logs in.`,
  unsentKeptFor: (n: number, name: string) =>
    `Log in as ${name} to send ${n === 1 ? 'the unsent message' : `the ${n} unsent messages`}.`,
  keepUnsent: 'Keep them',
  discardUnsent: 'Discard them',
  unsentDiscarded: 'The unsent messages were deleted from this device.',
  serverUnreachable: (seconds: number) =>
    seconds > 0
      ? `Cannot reach the server. Trying again in ${seconds} s…`
      : 'Cannot reach the server. Trying again…',

  // Errors from the server or the connection, by code
  errInvalidCredentials: 'Wrong username or password.',
  errUsernameTaken: 'That username is taken. Try another one.',
  errInvalidUsername: 'That username is not allowed.',
  errWeakPassword: 'That password is too weak. Choose a longer one.',
  errCommonPassword:
    'That password is one of the most common passwords, the first an attacker tries. Choose another.',
  errRegistrationClosed: 'This server does not take new accounts.',
  errInvalidInvite:
    'This server needs an invite code to create an account, and that one does not work.',
  errTooManyAttemptsSeconds: (seconds: number) =>
    `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
  errTooManyAttempts: (minutes: number) =>
    `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  errRateLimited: 'You are going a little fast. Wait a moment and try again.',
  errOffline: 'Cannot reach the server. Check your connection and try again.',
  errNotFound: 'There is no user with that name.',
  errForbidden: 'You are not allowed to do that.',
  errGeneric: 'Something went wrong. Please try again.',

  // Connection state
  connConnecting: 'Connecting…',
  connSyncing: 'Updating…',
  connOnline: 'Online',
  connReconnecting: (seconds: number) =>
    seconds > 0 ? `Offline · reconnecting in ${seconds} s` : 'Offline · reconnecting…',
  connNoNetwork: 'Offline · no network',
  connClosed: 'Disconnected',
  offlineBanner: 'You are offline. Messages you write now are kept and sent when you are back.',

  // Navigation rail
  mainNavigation: 'Main navigation',
  chats: 'Chats',
  settings: 'Settings',
  switchToDark: 'Switch to dark theme',
  switchToLight: 'Switch to light theme',
  myAccount: (name: string) => `Account: ${name}`,

  // Conversation list
  conversations: 'Conversations',
  newChat: 'New chat',
  searchChats: 'Search chats',
  searchChatsAndMessages: 'Search chats and messages',
  messageResults: 'Messages',
  searchingMessages: 'Searching messages…',
  noMessageMatches: 'No messages found.',
  noChats: 'No chats yet',
  noChatsHint: 'Start a conversation with anyone on this server by their username.',
  noMatches: 'No chats match your search.',
  unreadCount: (n: number) => `${n} unread`,
  loadingChats: 'Loading your chats…',
  chatsLoadFailed: 'Your chats could not be loaded.',
  noMessagesYet: 'No messages yet',
  youPrefix: (text: string) => `You: ${text}`,
  previewSending: (text: string) => `Sending: ${text}`,
  previewFailed: (text: string) => `Not sent: ${text}`,

  // Notification prompt
  notifyPrompt:
    'Get a desktop notification when a message arrives while Parley is in the background?',
  notifyEnable: 'Turn on',
  notifyLater: 'Not now',

  // Chat pane
  welcomeTitle: 'Welcome to Parley',
  welcomeHint: 'Pick a chat on the left, or start a new one.',
  startChat: 'Start a chat',
  backToChats: 'Back to chats',
  messagesWith: (name: string) => `Messages with ${name}`,
  chatWith: (name: string) => `Chat with ${name}`,
  typing: 'typing…',
  presenceOnline: 'online',
  presenceAway: 'away',
  presenceBusy: 'busy',
  presenceOffline: 'offline',
  lastSeen: (when: string) => `last seen ${when}`,
  myStatus: 'Status',
  choiceOnline: 'Online',
  choiceBusy: 'Busy',
  choiceInvisible: 'Invisible',
  statusHint:
    'Away shows by itself when you have been idle a while. Invisible: others see you offline, and you can still chat.',
  loadingMessages: 'Loading messages…',
  messagesLoadFailed: 'The messages could not be loaded.',
  beginningOfChat: (name: string) => `This is the beginning of your chat with ${name}.`,
  loadingOlder: 'Loading earlier messages…',
  unreadLine: 'Unread messages',
  jumpToLatest: 'Jump to latest',
  newMessages: (n: number) => (n === 1 ? '1 new message' : `${n} new messages`),
  you: 'You',
  statusSending: 'Sending',
  statusQueued: 'Waiting for connection',
  statusSent: 'Sent',
  statusRead: 'Read',
  statusFailed: 'Not sent',
  retrySending: 'Retry sending',
  deleteUnsent: 'Delete unsent message',
  failedBecause: (reason: string) => `Not sent. ${reason}`,
  failInvalid: 'The server did not accept it; it may be too long.',
  failForbidden: 'You can no longer send messages in this chat.',
  failNotFound: 'This chat no longer exists.',
  failRefused: 'The server refused it.',

  // Composer
  composer: 'Write a message',
  messageLabel: 'Message',
  messagePlaceholder: (name: string) => `Message ${name}`,
  composerHint: 'Enter to send · Shift+Enter for a new line',
  send: 'Send',
  emoji: 'Emoji',
  emojiPicker: 'Emoji picker',
  tooLong: (over: number) => `${over} character${over === 1 ? '' : 's'} too long`,
  emojiSmileys: 'Smileys',
  emojiPeople: 'People',
  emojiNature: 'Nature',
  emojiFood: 'Food',
  emojiActivities: 'Activities',
  emojiSymbols: 'Symbols',

  // New chat
  newChatHint: 'Enter the username of the person you want to chat with.',
  startChatSubmit: 'Start chat',
  opening: 'Opening…',
  cannotChatSelf: 'That is you. Enter someone else’s username.',

  // Settings
  account: 'Account',
  signedInAs: (name: string) => `Signed in as ${name}`,
  appearance: 'Appearance',
  theme: 'Theme',
  themeSystem: 'System',
  themeLight: 'Light',
  themeDark: 'Dark',
  language: 'Language',
  languageSystem: 'System',
  notifications: 'Notifications',
  notificationsOn: 'Desktop notifications are on.',
  notificationsOff: 'Desktop notifications are off.',
  notificationsBlocked: 'Notifications are blocked in this browser’s site settings.',
  notificationsUnsupported: 'This browser does not support desktop notifications.',
  changePassword: 'Change password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmNewPassword: 'Confirm new password',
  changingPassword: 'Changing…',
  passwordChanged: 'Password changed. Your other devices were signed out.',
  errWrongPassword: 'The current password is not right.',
  logOut: 'Log out',
  logOutEverywhere: 'Log out of all devices',
  logOutHint: 'Logging out of all devices also ends your sessions in other browsers and apps.',
  loggingOut: 'Logging out…',
  devices: 'Devices',
  devicesHint: 'Where your account is signed in. Sign out any device you do not use or know.',
  thisDevice: 'This device',
  deviceSeen: (when: string) => `Last active ${when}`,
  deviceSignOut: 'Sign out',
  deviceSigningOut: 'Signing out…',
  devicesLoading: 'Loading devices…',

  // Contacts (friends)
  contacts: 'Contacts',
  contactsWithRequests: (n: number) =>
    n === 1 ? 'Contacts, 1 friend request' : `Contacts, ${n} friend requests`,
  addFriend: 'Add friend',
  addFriendHint: 'Enter their exact username.',
  friendNote: 'Note (optional)',
  friendNoteHint: 'Say who you are, so they know whom they are accepting.',
  sendRequest: 'Send request',
  sendingRequest: 'Sending…',
  requestSent: (name: string) => `Friend request sent to ${name}.`,
  friendRequests: 'Friend requests',
  requestsToYou: 'Requests to you',
  yourRequests: 'Waiting for an answer',
  accept: 'Accept',
  decline: 'Decline',
  cancelRequest: 'Withdraw',
  acceptFrom: (name: string) => `Accept ${name}`,
  declineFrom: (name: string) => `Decline ${name}`,
  friends: 'Friends',
  noFriends: 'No friends yet',
  noFriendsHint: 'Add people by their username; once they accept, you can chat.',
  ungrouped: 'Friends',
  blockedUsers: 'Blocked',
  unblock: 'Unblock',
  block: 'Block',
  removeFriend: 'Remove friend',
  confirmRemove: (name: string) =>
    `Remove ${name} from your friends? They are removed for both of you.`,
  confirmBlock: (name: string) =>
    `Block ${name}? They can no longer message you or send you requests, and a friendship ends.`,
  sendMessage: 'Send message',
  remark: 'Remark',
  remarkHint: 'A private name for this friend; only you see it.',
  grouping: 'Group',
  groupingHint: 'List this friend under a group, such as Family or Work.',
  save: 'Save',
  saved: 'Saved.',
  friendSince: (when: string) => `Friends since ${when}`,
  selectFriend: 'Pick a friend, or add one.',
  privacy: 'Privacy',
  whoMayMessage: 'Who may start a chat with me',
  dmFriends: 'Friends only',
  dmEveryone: 'Everyone',
  dmHint: 'Someone you write to can always answer you.',
  friendRequestFrom: (name: string) => `Friend request from ${name}`,
  errFriendsOnly: 'This person takes messages from friends only. Send a friend request first.',
  errBlocked: 'Not possible: one of you blocked the other.',
  errAlreadyFriends: 'You are friends already.',
  errAlreadyRequested: 'Your request is already waiting for an answer.',
  errLimitReached: 'Too many friends, requests or blocked people.',
};

type Dictionary = typeof en;

/** A dictionary's shape: the same keys as English, strings or functions with the same arguments. */
export type Messages = {
  [K in keyof Dictionary]: Dictionary[K] extends (...args: infer A) => string
    ? (...args: A) => string
    : string;
};

/**
 * Log in or create an account. Checks what it can before asking the server (username rules,
 * password length, the two passwords match) and explains server refusals by their error code.
 */
import { useId, useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '@parley/protocol';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/errors.js';
import { useClientContext } from '../state/client-context.js';
import {
  useConnectionState,
  useRegistrationMode,
  useSecondsUntil,
} from '../state/use-connection.js';
import { Logo } from './icons.js';
import { KeptUnsentNotice } from './kept-unsent-notice.js';
import { PreferenceSwitches } from './preference-switches.js';
import { TextField } from './text-field.js';

type Mode = 'login' | 'register';

export function AuthScreen() {
  const { t } = useI18n();
  const { client, endedReason } = useClientContext();
  const connection = useConnectionState(client);
  const seconds = useSecondsUntil(connection.status === 'reconnecting' ? connection.retryAt : null);
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [invite, setInvite] = useState('');
  const registration = useRegistrationMode(client);
  const needsInvite = mode === 'register' && registration === 'invite';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { tab: useId(), error: useId() };

  const switchMode = (next: Mode) => {
    setMode(next);
    setError(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim().toLowerCase();
    if (!name || !password) return setError(t.enterCredentials);
    // No account can have a name outside the rules, and the server refuses such a login as an
    // invalid request, which would read as "something went wrong".
    if (mode === 'login' && !USERNAME_PATTERN.test(name)) {
      return setError(t.errInvalidCredentials);
    }
    if (mode === 'register') {
      if (!USERNAME_PATTERN.test(name)) return setError(t.usernameInvalid);
      if (password.length < PASSWORD_MIN_LENGTH) {
        return setError(t.passwordTooShort(PASSWORD_MIN_LENGTH));
      }
      if (password !== confirm) return setError(t.passwordsDiffer);
      if (needsInvite && !invite.trim()) return setError(t.inviteNeeded);
    }
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') await client.login(name, password);
      else await client.register(name, password, needsInvite ? { invite: invite.trim() } : {});
      // The session hook switches to the chats on the `authenticated` event.
    } catch (e) {
      setError(errorText(t, e));
      setBusy(false);
    }
  };

  const register = mode === 'register';
  return (
    <div className="auth">
      <div className="auth-corner">
        <PreferenceSwitches />
      </div>
      <main className="auth-card">
        <div className="auth-brand">
          <Logo size={56} />
          <h1>{t.appName}</h1>
          <p>{t.authTagline}</p>
        </div>
        {endedReason && !error && (
          <p className="notice" role="status">
            {t.sessionEnded}
          </p>
        )}
        <KeptUnsentNotice
          onKeep={(name) => {
            switchMode('login');
            setUsername(name);
          }}
        />
        {connection.status === 'reconnecting' && (
          <p className="notice notice-warn" role="status">
            {t.serverUnreachable(seconds)}
          </p>
        )}
        <div className="segmented" role="tablist" aria-label={t.authModes}>
          {(['login', 'register'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              id={`${ids.tab}-${m}`}
              aria-selected={mode === m}
              aria-controls={`${ids.tab}-panel`}
              tabIndex={mode === m ? 0 : -1}
              onClick={() => switchMode(m)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
                  const next = m === 'login' ? 'register' : 'login';
                  switchMode(next);
                  document.getElementById(`${ids.tab}-${next}`)?.focus();
                }
              }}
            >
              {m === 'login' ? t.logIn : t.createAccount}
            </button>
          ))}
        </div>
        <form
          id={`${ids.tab}-panel`}
          role="tabpanel"
          aria-labelledby={`${ids.tab}-${mode}`}
          className="auth-form"
          onSubmit={(event) => void submit(event)}
          noValidate
        >
          <TextField
            label={t.username}
            hint={register ? t.usernameHint : null}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
            maxLength={32}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={error !== null}
          />
          <TextField
            label={t.password}
            hint={register ? t.passwordHint(PASSWORD_MIN_LENGTH) : null}
            name="password"
            type="password"
            autoComplete={register ? 'new-password' : 'current-password'}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error !== null}
          />
          {register && (
            <TextField
              label={t.confirmPassword}
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          )}
          {needsInvite && (
            <TextField
              label={t.inviteCode}
              name="invite"
              autoComplete="off"
              required
              hint={t.inviteHint}
              value={invite}
              onChange={(e) => setInvite(e.target.value)}
            />
          )}
          {error && (
            <p className="form-error" role="alert" id={ids.error}>
              {error}
            </p>
          )}
          <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy
              ? register
                ? t.creatingAccount
                : t.loggingIn
              : register
                ? t.createAccount
                : t.logIn}
          </button>
        </form>
      </main>
    </div>
  );
}

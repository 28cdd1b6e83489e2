/**
 * Settings: theme, language, status (online, busy, invisible), who may message the person,
 * notifications, password, the devices signed in, and logging out of
 * this device or all.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { PASSWORD_MIN_LENGTH, type PresenceChoice } from '@parley/protocol';
import { useI18n } from '../i18n/i18n.js';
import { errorText } from '../i18n/errors.js';
import { requestNotificationPermission, useNotificationPermission } from '../state/attention.js';
import { useClient, useClientContext } from '../state/client-context.js';
import { useOwnChoice } from '../state/use-presence.js';
import {
  updatePreferences,
  usePreferences,
  type LocalePreference,
  type ThemePreference,
} from '../state/preferences.js';
import { errorCode, type DirectMessageSetting, type User } from '../state/sdk.js';
import { useContacts } from '../state/use-contacts.js';
import { Avatar } from './avatar.js';
import { DeviceList } from './device-list.js';
import { LogoutIcon } from './icons.js';
import { Modal } from './modal.js';
import { TextField } from './text-field.js';

export function SettingsDialog({ me, onClose }: { me: User; onClose: () => void }) {
  const { t } = useI18n();
  const prefs = usePreferences();
  return (
    <Modal title={t.settings} onClose={onClose} className="modal-wide">
      <div className="modal-body settings">
        <div className="settings-account">
          <Avatar name={me.username} size={52} />
          <div>
            <p className="settings-name">{me.username}</p>
            <p className="muted">{t.signedInAs(me.username)}</p>
          </div>
        </div>

        <Section title={t.appearance}>
          <Choice<ThemePreference>
            legend={t.theme}
            value={prefs.theme}
            options={[
              ['system', t.themeSystem],
              ['light', t.themeLight],
              ['dark', t.themeDark],
            ]}
            onChange={(theme) => updatePreferences({ theme })}
          />
          <Choice<LocalePreference>
            legend={t.language}
            value={prefs.locale}
            options={[
              ['system', t.languageSystem],
              ['en', 'English'],
              ['zh-CN', '简体中文'],
            ]}
            onChange={(locale) => updatePreferences({ locale })}
          />
        </Section>

        <Section title={t.myStatus}>
          <StatusSetting me={me} />
        </Section>

        <Section title={t.privacy}>
          <PrivacySetting />
        </Section>

        <Section title={t.notifications}>
          <NotificationSetting />
        </Section>

        <Section title={t.changePassword}>
          <ChangePasswordForm />
        </Section>

        <Section title={t.devices}>
          <DeviceList />
        </Section>

        <Section title={t.account}>
          <LogoutButtons />
        </Section>
      </div>
    </Modal>
  );
}

/** Who may start a direct chat with the person: friends only or everyone (kept on the server). */
function PrivacySetting() {
  const { t } = useI18n();
  const { client } = useClientContext();
  const { directMessages } = useContacts(client);
  const [error, setError] = useState<string | null>(null);
  if (directMessages === null) return <p className="muted">{t.loading}</p>;
  return (
    <>
      <Choice<DirectMessageSetting>
        legend={t.whoMayMessage}
        value={directMessages}
        options={[
          ['friends', t.dmFriends],
          ['everyone', t.dmEveryone],
        ]}
        onChange={(setting) => {
          setError(null);
          client.setDirectMessages(setting).catch((e: unknown) => setError(errorText(t, e)));
        }}
      />
      <p className="field-hint">{t.dmHint}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function Choice<V extends string>({
  legend,
  value,
  options,
  onChange,
}: {
  legend: string;
  value: V;
  options: [V, string][];
  onChange: (value: V) => void;
}) {
  const name = useId();
  return (
    <fieldset className="choice">
      <legend>{legend}</legend>
      <div className="segmented">
        {options.map(([v, label]) => (
          <label key={v} className={v === value ? 'segment segment-on' : 'segment'}>
            <input
              type="radio"
              name={name}
              value={v}
              checked={v === value}
              onChange={() => onChange(v)}
            />
            {label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Online, busy or invisible for all of the person's devices (stored on the server). */
function StatusSetting({ me }: { me: User }) {
  const { t } = useI18n();
  const client = useClient();
  const choice = useOwnChoice(client, me.id) ?? 'online';
  const [failed, setFailed] = useState(false);
  return (
    <>
      <Choice<PresenceChoice>
        legend={t.myStatus}
        value={choice}
        options={[
          ['online', t.choiceOnline],
          ['busy', t.choiceBusy],
          ['invisible', t.choiceInvisible],
        ]}
        onChange={(next) => {
          setFailed(false);
          client.setPresence(next).catch(() => setFailed(true));
        }}
      />
      <p className="muted">{t.statusHint}</p>
      {failed && (
        <p className="form-error" role="alert">
          {t.tryAgain}
        </p>
      )}
    </>
  );
}

function NotificationSetting() {
  const { t } = useI18n();
  const permission = useNotificationPermission();
  if (permission === 'unsupported') return <p className="muted">{t.notificationsUnsupported}</p>;
  if (permission === 'denied') return <p className="muted">{t.notificationsBlocked}</p>;
  if (permission === 'granted') return <p className="muted">{t.notificationsOn}</p>;
  return (
    <div className="settings-row">
      <p className="muted">{t.notificationsOff}</p>
      <button
        type="button"
        className="btn btn-small"
        onClick={() =>
          void requestNotificationPermission().finally(() =>
            updatePreferences({ notificationPromptDone: true }),
          )
        }
      >
        {t.notifyEnable}
      </button>
    </div>
  );
}

function ChangePasswordForm() {
  const { t } = useI18n();
  const { client } = useClientContext();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next.length < PASSWORD_MIN_LENGTH) {
      return setResult({ ok: false, text: t.passwordTooShort(PASSWORD_MIN_LENGTH) });
    }
    if (next !== confirm) return setResult({ ok: false, text: t.passwordsDiffer });
    setBusy(true);
    setResult(null);
    try {
      await client.changePassword(current, next);
      setResult({ ok: true, text: t.passwordChanged });
      setCurrent('');
      setNext('');
      setConfirm('');
    } catch (e) {
      const text = errorCode(e) === 'invalid_credentials' ? t.errWrongPassword : errorText(t, e);
      setResult({ ok: false, text });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
      <input
        type="text"
        name="username"
        autoComplete="username"
        hidden
        readOnly
        value={client.user?.username ?? ''}
      />
      <TextField
        label={t.currentPassword}
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <TextField
        label={t.newPassword}
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
      />
      <TextField
        label={t.confirmNewPassword}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
      />
      {result && (
        <p
          className={result.ok ? 'form-success' : 'form-error'}
          role={result.ok ? 'status' : 'alert'}
        >
          {result.text}
        </p>
      )}
      <div>
        <button type="submit" className="btn" disabled={busy || !current || !next}>
          {busy ? t.changingPassword : t.changePassword}
        </button>
      </div>
    </form>
  );
}

function LogoutButtons() {
  const { t } = useI18n();
  const { client, restart } = useClientContext();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const logout = async (everywhere: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await client.logout({ everywhere });
      restart(client, null);
    } catch (e) {
      setError(errorText(t, e));
      setBusy(false);
    }
  };

  return (
    <div className="settings-logout">
      <p className="muted">{t.logOutHint}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="settings-row">
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={() => void logout(false)}
        >
          <LogoutIcon size={16} />
          {busy ? t.loggingOut : t.logOut}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void logout(true)}>
          {t.logOutEverywhere}
        </button>
      </div>
    </div>
  );
}

import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { unlockAudio } from '../cue.js';
import { useLang } from '../lang.js';
import type { Me } from '../types.js';

export function SignIn({ onSignedIn }: { onSignedIn(me: Me): void }) {
  const { t } = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    unlockAudio();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(username.trim(), password));
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('tooManyAttempts'));
      else if (err instanceof ApiError && err.status === 401) setError(t('signInFailed'));
      else setError(t('loadFailed', { message: err instanceof Error ? err.message : '' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin" tabIndex={-1}>
      <h1>{t('signInTitle')}</h1>
      <form onSubmit={(e) => void submit(e)} class="card stack">
        <label>
          {t('username')}
          <input
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
    </main>
  );
}

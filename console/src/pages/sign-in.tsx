import { useState } from 'preact/hooks';
import { getMe } from '../api/me';
import { errorText } from '../api/client';
import type { Me } from '../api/types';
import { clearSession, setToken } from '../session';
import { Button, ErrorLine, Field, PageTitle } from '../components/ui';

/** Sign in with a workspace API key or the operator token; the token stays in this tab only. */
export function SignInPage({ onSignedIn, reason }: { onSignedIn: (me: Me) => void; reason?: string | null }) {
  const [token, setTokenText] = useState('');
  const [error, setError] = useState<string | null>(reason ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setToken(token.trim());
    try {
      onSignedIn(await getMe());
    } catch (failure) {
      clearSession();
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <PageTitle>Sign in</PageTitle>
      <p>Use a workspace API key or the operator token. It is kept for this browser tab only.</p>
      <form onSubmit={submit}>
        <Field label="API key or operator token">
          <input
            type="password"
            name="token"
            autoComplete="off"
            required
            value={token}
            onInput={(e) => setTokenText(e.currentTarget.value)}
          />
        </Field>
        <ErrorLine error={error} />
        <Button type="submit" kind="primary" busy={busy}>
          Sign in
        </Button>
      </form>
    </main>
  );
}

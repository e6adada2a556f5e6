import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, UNAUTHORIZED_EVENT, errorText } from './api/client';
import { getMe } from './api/me';
import type { Me } from './api/types';
import { SessionContext, sessionOf } from './context';
import { ErrorLine, PageTitle } from './components/ui';
import { Shell } from './shell';
import { Routes } from './routes';
import { navigate, usePath } from './router';
import { adoptPortalToken, clearSession, getToken, isPortalSession } from './session';
import { SignInPage } from './pages/sign-in';
import { applyBranding } from './branding';

type State =
  | { phase: 'loading' }
  | { phase: 'signed-out'; reason: string | null }
  | { phase: 'portal-ended'; reason: string }
  | { phase: 'ready'; me: Me };

export function App() {
  const path = usePath();
  const [state, setState] = useState<State>({ phase: 'loading' });

  useEffect(() => {
    const portalArrival = path === '/portal' || path.startsWith('/portal/');
    if (portalArrival) adoptPortalToken();
    if (!getToken()) {
      setState({ phase: 'signed-out', reason: null });
      return;
    }
    getMe().then(
      (me) => setState({ phase: 'ready', me }),
      (error: unknown) => {
        if (isPortalSession()) setState({ phase: 'portal-ended', reason: errorText(error) });
        else {
          clearSession();
          setState({ phase: 'signed-out', reason: errorText(error) });
        }
      },
    );
    // Runs once: later navigation keeps the session.
  }, []);

  useEffect(() => {
    const onUnauthorized = (event: Event) => {
      const error = (event as CustomEvent<ApiError>).detail;
      if (isPortalSession()) setState({ phase: 'portal-ended', reason: error.message });
      else {
        clearSession();
        setState({ phase: 'signed-out', reason: error.message });
      }
    };
    addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);

  const me = state.phase === 'ready' ? state.me : null;
  const session = useMemo(
    () =>
      me &&
      sessionOf(me, () => {
        clearSession();
        setState({ phase: 'signed-out', reason: null });
        navigate('/', true);
      }),
    [me],
  );

  useEffect(() => applyBranding(me?.kind === 'portal' ? me.branding : null), [me]);

  if (state.phase === 'loading') return <p class="loading">Loading…</p>;
  if (state.phase === 'portal-ended')
    return (
      <main class="signin" id="main">
        <PageTitle>Link no longer valid</PageTitle>
        <ErrorLine error={state.reason} />
        <p>Ask for a new link.</p>
      </main>
    );
  if (state.phase === 'signed-out' || !session)
    return (
      <SignInPage
        reason={state.phase === 'signed-out' ? state.reason : null}
        onSignedIn={(signedIn) => {
          setState({ phase: 'ready', me: signedIn });
          navigate('/', true);
        }}
      />
    );
  return (
    <SessionContext.Provider value={session}>
      <Shell path={path}>
        <Routes path={path} />
      </Shell>
    </SessionContext.Provider>
  );
}

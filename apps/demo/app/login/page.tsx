import type { Metadata } from 'next';
import Link from 'next/link';
import { SiteHeader } from '../../components/SiteHeader';
import { currentUser } from '../../lib/currentUser';
import { signIn } from '../../lib/sessionActions';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const [user, { error }] = await Promise.all([currentUser(), searchParams]);
  return (
    <>
      <SiteHeader user={null} />
      <main className="login">
        <section className="card login-card" aria-labelledby="login-heading">
          <h1 id="login-heading">Sign in</h1>
          <p className="lead">
            Pick any name: there is no password in this demo. Sign in as <em>alice</em> in one browser and{' '}
            <em>bob</em> in another to see that each user only ever reaches their own uploads.
          </p>
          {user ? (
            <p className="notice" role="status">
              You are signed in as <strong>{user}</strong>. <Link href="/">Go to uploads</Link>, or sign in as someone
              else below.
            </p>
          ) : null}
          <form action={signIn} className="login-form">
            <label htmlFor="user">Your name</label>
            <input
              id="user"
              name="user"
              autoComplete="username"
              required
              maxLength={32}
              pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,31}"
              placeholder="alice"
              aria-describedby="user-hint"
              aria-invalid={error === 'name' || undefined}
            />
            <p id="user-hint" className={error === 'name' ? 'field-error' : 'hint'} role={error === 'name' ? 'alert' : undefined}>
              {error === 'name'
                ? 'Use 1–32 letters, digits, dashes or underscores, starting with a letter or digit.'
                : 'Letters, digits, dashes and underscores. It becomes part of your files’ keys.'}
            </p>
            <button type="submit" className="button-primary">
              Sign in
            </button>
          </form>
          <p className="fine-print">
            The name is kept in a cookie signed with the server’s secret (HMAC-SHA-256), so it cannot be edited in
            the browser. The upload API binds every upload to it.
          </p>
        </section>
      </main>
    </>
  );
}

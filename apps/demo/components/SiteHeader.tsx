import Link from 'next/link';
import { signOut } from '../lib/sessionActions';

/** Props of {@link SiteHeader}. */
export interface SiteHeaderProps {
  /** The signed-in user; `null` on the sign-in page. */
  user: string | null;
  /** The page shown, to mark its link. */
  current?: 'upload' | 'files';
}

/** The brand, the two pages and who is signed in, with Sign out. */
export function SiteHeader({ user, current }: SiteHeaderProps) {
  return (
    <header className="site-header">
      <Link href="/" className="brand" aria-label="Tessera demo, home">
        <span className="brand-mark" aria-hidden="true">
          <span />
          <span />
          <span />
          <span />
        </span>
        Tessera <span className="brand-tag">demo</span>
      </Link>
      {user ? (
        <>
          <nav aria-label="Pages" className="site-nav">
            <Link href="/" aria-current={current === 'upload' ? 'page' : undefined}>
              Upload
            </Link>
            <Link href="/files" aria-current={current === 'files' ? 'page' : undefined}>
              My files
            </Link>
          </nav>
          <form action={signOut} className="session">
            <span className="user-badge" data-user={user}>
              <span className="avatar" aria-hidden="true">
                {user.slice(0, 1).toUpperCase()}
              </span>
              <span>
                Signed in as <strong>{user}</strong>
              </span>
            </span>
            <button type="submit" className="button-quiet">
              Sign out
            </button>
          </form>
        </>
      ) : null}
    </header>
  );
}

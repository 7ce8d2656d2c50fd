'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { demoSecret } from '../src/demoConfig';
import { SESSION_COOKIE, SESSION_MAX_AGE, normaliseUserName, signSession } from '../src/demoSession';

/** Sign in as the name typed (no password: it is a demo), then go to the upload page. */
export async function signIn(form: FormData): Promise<void> {
  const user = normaliseUserName(String(form.get('user') ?? ''));
  if (!user) redirect('/login?error=name');
  const jar = await cookies();
  jar.set(SESSION_COOKIE, signSession(user, demoSecret()), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: SESSION_MAX_AGE,
  });
  redirect('/');
}

/** Forget the session cookie and go back to the sign-in page. */
export async function signOut(): Promise<void> {
  const jar = await cookies();
  jar.delete(SESSION_COOKIE);
  redirect('/login');
}

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { demoSecret } from '../src/demoConfig';
import { SESSION_COOKIE, verifySession } from '../src/demoSession';

/** The signed-in user (the session cookie, checked), or `null`. For server components and actions. */
export async function currentUser(): Promise<string | null> {
  const jar = await cookies();
  return verifySession(jar.get(SESSION_COOKIE)?.value, demoSecret());
}

/** The signed-in user; anyone else is sent to the sign-in page. */
export async function requireUser(): Promise<string> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

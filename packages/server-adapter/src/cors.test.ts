import { describe, expect, it } from 'vitest';
import { type CorsDecision, type CorsOptions, corsHeaders } from './cors.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';
const ENDPOINT = 'https://api.example.com/api/uploads/v1/uploads';

/** A request as a browser sends it: `preflight` adds OPTIONS and the headers a preflight carries. */
function request(origin: string | null, kind: 'preflight' | 'POST' | 'GET' | 'OPTIONS' = 'POST'): Request {
  const headers = new Headers();
  if (origin !== null) headers.set('origin', origin);
  if (kind === 'preflight') {
    headers.set('access-control-request-method', 'POST');
    headers.set('access-control-request-headers', 'content-type,x-tessera-upload-token');
  }
  return new Request(ENDPOINT, { method: kind === 'preflight' ? 'OPTIONS' : kind, headers });
}

/** What every answer to an allowed origin carries, preflight or not. */
const allowedAnswer = (origin: string) => ({
  'access-control-allow-origin': origin,
  vary: 'Origin',
  'access-control-expose-headers': 'retry-after',
});

/** What a preflight answer to an allowed origin adds, with the default options. */
const preflightAnswer = {
  'access-control-allow-methods': 'GET, POST, DELETE',
  'access-control-allow-headers': 'content-type, x-tessera-upload-token',
  'access-control-max-age': '600',
};

describe('corsHeaders', () => {
  it.each<{ name: string; options: CorsOptions | undefined; request: Request; expected: CorsDecision }>([
    {
      name: 'no options: nothing added, even for a preflight from anywhere',
      options: undefined,
      request: request(APP, 'preflight'),
      expected: { headers: {}, preflight: false, allowed: true },
    },
    {
      name: 'no options, a plain cross-origin request',
      options: undefined,
      request: request(OTHER),
      expected: { headers: {}, preflight: false, allowed: true },
    },
    {
      name: 'an origin in the exact list, not a preflight',
      options: { origins: [APP] },
      request: request(APP),
      expected: { headers: allowedAnswer(APP), preflight: false, allowed: true },
    },
    {
      name: 'an origin in the exact list, a preflight',
      options: { origins: [OTHER, APP] },
      request: request(APP, 'preflight'),
      expected: { headers: { ...allowedAnswer(APP), ...preflightAnswer }, preflight: true, allowed: true },
    },
    {
      name: 'an origin the list does not name',
      options: { origins: [APP] },
      request: request(OTHER),
      expected: { headers: { vary: 'Origin' }, preflight: false, allowed: false },
    },
    {
      name: 'a preflight from an origin the list does not name',
      options: { origins: [APP] },
      request: request(OTHER, 'preflight'),
      expected: { headers: { vary: 'Origin' }, preflight: true, allowed: false },
    },
    {
      name: 'an empty list allows nobody',
      options: { origins: [] },
      request: request(APP, 'preflight'),
      expected: { headers: { vary: 'Origin' }, preflight: true, allowed: false },
    },
    {
      name: 'the list is exact: another port is another origin',
      options: { origins: [APP] },
      request: request(`${APP}:8443`),
      expected: { headers: { vary: 'Origin' }, preflight: false, allowed: false },
    },
    {
      name: 'the list is exact: a trailing slash in the list matches nothing',
      options: { origins: [`${APP}/`] },
      request: request(APP),
      expected: { headers: { vary: 'Origin' }, preflight: false, allowed: false },
    },
    {
      name: 'a function that allows the origin',
      options: { origins: (origin) => origin.endsWith('.example.com') },
      request: request(APP, 'preflight'),
      expected: { headers: { ...allowedAnswer(APP), ...preflightAnswer }, preflight: true, allowed: true },
    },
    {
      name: 'a function that refuses the origin',
      options: { origins: (origin) => origin.endsWith('.example.com') },
      request: request(OTHER),
      expected: { headers: { vary: 'Origin' }, preflight: false, allowed: false },
    },
    {
      name: 'an async function',
      options: { origins: async (origin) => origin === APP },
      request: request(APP),
      expected: { headers: allowedAnswer(APP), preflight: false, allowed: true },
    },
    {
      name: 'no Origin header (same-origin GET, a server): allowed, only Vary added',
      options: { origins: [APP] },
      request: request(null),
      expected: { headers: { vary: 'Origin' }, preflight: false, allowed: true },
    },
    {
      name: 'OPTIONS without Access-Control-Request-Method is not a preflight',
      options: { origins: [APP] },
      request: request(APP, 'OPTIONS'),
      expected: { headers: allowedAnswer(APP), preflight: false, allowed: true },
    },
    {
      name: 'credentials: on the preflight and on the request',
      options: { origins: [APP], credentials: true },
      request: request(APP, 'preflight'),
      expected: {
        headers: { ...allowedAnswer(APP), 'access-control-allow-credentials': 'true', ...preflightAnswer },
        preflight: true,
        allowed: true,
      },
    },
    {
      name: 'credentials on a request that is not a preflight',
      options: { origins: [APP], credentials: true },
      request: request(APP, 'GET'),
      expected: {
        headers: { ...allowedAnswer(APP), 'access-control-allow-credentials': 'true' },
        preflight: false,
        allowed: true,
      },
    },
    {
      name: 'credentials: false adds nothing',
      options: { origins: [APP], credentials: false },
      request: request(APP),
      expected: { headers: allowedAnswer(APP), preflight: false, allowed: true },
    },
    {
      name: 'credentials are not granted to a refused origin',
      options: { origins: [APP], credentials: true },
      request: request(OTHER, 'preflight'),
      expected: { headers: { vary: 'Origin' }, preflight: true, allowed: false },
    },
    {
      name: 'allowHeaders and maxAgeSeconds on a preflight',
      options: { origins: [APP], allowHeaders: ['authorization', 'x-csrf-token'], maxAgeSeconds: 7200 },
      request: request(APP, 'preflight'),
      expected: {
        headers: {
          ...allowedAnswer(APP),
          ...preflightAnswer,
          'access-control-allow-headers': 'content-type, x-tessera-upload-token, authorization, x-csrf-token',
          'access-control-max-age': '7200',
        },
        preflight: true,
        allowed: true,
      },
    },
    {
      name: 'allowHeaders and maxAgeSeconds are for preflights only',
      options: { origins: [APP], allowHeaders: ['authorization'], maxAgeSeconds: 7200 },
      request: request(APP),
      expected: { headers: allowedAnswer(APP), preflight: false, allowed: true },
    },
    {
      name: 'maxAgeSeconds 0 (no preflight caching) is kept, not defaulted',
      options: { origins: [APP], maxAgeSeconds: 0 },
      request: request(APP, 'preflight'),
      expected: {
        headers: { ...allowedAnswer(APP), ...preflightAnswer, 'access-control-max-age': '0' },
        preflight: true,
        allowed: true,
      },
    },
  ])('$name', async ({ options, request, expected }) => {
    expect(await corsHeaders(request, options)).toStrictEqual(expected);
  });

  it('asks the function about the request’s own origin, once', async () => {
    const asked: string[] = [];
    await corsHeaders(request(APP, 'preflight'), {
      origins: (origin) => {
        asked.push(origin);
        return true;
      },
    });
    expect(asked).toEqual([APP]);
  });

  it('does not ask the function when there is no Origin header', async () => {
    const asked: string[] = [];
    const decision = await corsHeaders(request(null), { origins: (origin) => asked.push(origin) > 0 });
    expect(decision.allowed).toBe(true);
    expect(asked).toEqual([]);
  });

  it('passes on a failure of the origins function', async () => {
    const failure = new Error('allow-list unavailable');
    await expect(
      corsHeaders(request(APP), {
        origins: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
  });
});

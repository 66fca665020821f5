// The demo manager asks for a means for a colleague through the server functions the
// Gebruikers page uses (login, SMS code, request_means), so a spec can start where the
// colleague's part begins.
import { expect, type APIRequestContext } from '@playwright/test';
import { BASE_URL, DEMO_MANAGER } from './accounts';
import { latestSms, newestSmsId } from './inbox';

export interface MeansRequest {
  email: string;
  /** E.164, as the dev inbox lists it. */
  mobile: string;
  employed: boolean;
  level: string;
  given_names?: string;
  prefix?: string;
  surname?: string;
}

export async function requestMeans(request: APIRequestContext, m: MeansRequest): Promise<void> {
  const headers = { Origin: BASE_URL };
  const before = await newestSmsId(request, DEMO_MANAGER.mobile);
  const login = await request.post('/api/login', {
    form: { email: DEMO_MANAGER.email, password: DEMO_MANAGER.password },
    headers,
  });
  expect(login.status()).toBeLessThan(400);
  const sms = await latestSms(request, DEMO_MANAGER.mobile, before);
  expect((await request.post('/api/verify_code', { form: { code: sms.code }, headers })).status()).toBeLessThan(400);
  const row = {
    given_names: m.given_names ?? 'Sanne',
    prefix: m.prefix ?? '',
    surname: m.surname ?? 'Boer',
    birth_date: '14-07-1991',
    email: m.email,
    mobile: '06' + m.mobile.slice(4),
    employed: m.employed ? 'ja' : 'nee',
    level: m.level,
  };
  const res = await request.post('/api/request_means', { data: { rows: [row] }, headers });
  expect(res.status(), await res.text()).toBe(200);
  expect((await res.json()).created).toBe(1);
}

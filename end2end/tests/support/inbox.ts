// Reads the development inbox (`/dev/inbox`, mounted when the server runs with DEV_INBOX=1).
// Messages go out through a durable outbox and a background worker, so a message appears
// some time after the action that caused it: callers note the newest message id first and
// then poll for a newer one.
import { expect, type APIRequestContext } from '@playwright/test';

export interface InboxMessage {
  id: string | number;
  channel: 'sms' | 'email';
  recipient: string;
  subject: string | null;
  body: string;
  created_at: string;
  delivered_at: string | null;
  delivered_via: string | null;
}

export interface SmsCode {
  /** Id of the message that carried the code. */
  id: string;
  code: string;
  body: string;
}

const POLL_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 250;

/** All messages for one recipient, newest first. */
export async function inboxMessages(request: APIRequestContext, to: string): Promise<InboxMessage[]> {
  const response = await request.get('/dev/inbox/messages.json', { params: { to } });
  expect(response.status(), `GET /dev/inbox/messages.json?to=${to}`).toBe(200);
  const messages: unknown = await response.json();
  expect(Array.isArray(messages), 'the dev inbox answers with a JSON array').toBe(true);
  return messages as InboxMessage[];
}

/** Id of the newest SMS to `to`, or undefined when none was sent yet. */
export async function newestSmsId(request: APIRequestContext, to: string): Promise<string | undefined> {
  const newest = (await inboxMessages(request, to)).find((m) => m.channel === 'sms');
  return newest === undefined ? undefined : String(newest.id);
}

/** The one 6-digit number in an SMS text (PRODUCT.md: it is the only one). */
export function extractCode(body: string): string {
  const codes = body.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];
  expect(codes, `exactly one 6-digit code in the SMS "${body}"`).toHaveLength(1);
  return codes[0]!;
}

/**
 * Waits (up to ~10 s) until the newest delivered SMS to `to` is a different message from
 * `afterId` (the id `newestSmsId` returned before the action), and returns its code.
 * Without `afterId` any delivered SMS counts, so pass it whenever an older one may exist.
 */
export async function latestSms(
  request: APIRequestContext,
  to: string,
  afterId?: string,
): Promise<SmsCode> {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  let seen = 'no SMS at all';
  for (;;) {
    const newest = (await inboxMessages(request, to)).find((m) => m.channel === 'sms');
    if (newest !== undefined) {
      const id = String(newest.id);
      if (id !== afterId && newest.delivered_at !== null) {
        return { id, code: extractCode(newest.body), body: newest.body };
      }
      seen = `newest SMS ${id} (${newest.delivered_at === null ? 'not yet delivered' : 'the old one'})`;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no new SMS to ${to} in the dev inbox within ${POLL_TIMEOUT_MS / 1000} s ` +
          `(waiting for one newer than ${afterId ?? 'nothing'}; saw ${seen})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

// The demo data that `server seed-demo` creates (see the UI contract), and the address the
// suite runs against. scripts/e2e-server.sh binds the server to exactly this address.

/** 127.0.0.1, not localhost: it must equal PUBLIC_URL, because the server checks Origin. */
export const BASE_URL = 'http://127.0.0.1:3100';

export interface Account {
  email: string;
  password: string;
  /** E.164, as the dev inbox lists the recipient. */
  mobile: string;
}

export const DEMO_MANAGER: Account = {
  email: 'beheerder@demo.example',
  password: 'Demo-beheer-2026!',
  mobile: '+31612345678',
};

export const DEMO_USER: Account = {
  email: 'gebruiker@demo.example',
  password: 'Demo-gebruiker-2026!',
  mobile: '+31687654321',
};

/** The demo manager's own organisation, selected after login. */
export const DEMO_ORGANISATION = 'Bakkerij De Gouden Korenschoof B.V.';
/** The second organisation the demo manager manages. */
export const SECOND_ORGANISATION = 'Korenschoof Logistiek B.V.';

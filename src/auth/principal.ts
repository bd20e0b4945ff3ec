export type ApiRole = 'admin' | 'provider' | 'title_system' | 'employer' | 'authority';
export type Role = ApiRole | 'applicant';

/**
 * Who is calling, as the auth guard established it: the client (with its name, for the access log)
 * or the applicant, known by their ID number's HMAC (and its ciphertext, to record them), never the number.
 * A client id is an api_clients row's, or one of these (no key of its own to manage): `org:<code>`,
 * an organisation's staff signed in through the SSO; BOOTSTRAP_ADMIN_ID, the ADMIN_API_KEY.
 */
export type Principal =
  | { role: 'admin'; clientId: string; name: string }
  | { role: 'provider'; clientId: string; providerId: string; name: string }
  | { role: 'title_system'; clientId: string; name: string }
  | { role: 'employer'; clientId: string; employerId: string; name: string }
  | { role: 'authority'; clientId: string; name: string }
  | { role: 'applicant'; personKey: Buffer; idNumberMasked: string; idNumberCipher?: Buffer; name?: string };

export type ApiRole = 'admin' | 'provider' | 'title_system';
export type Role = ApiRole | 'applicant';

/**
 * Who is calling, as the auth guard established it: the client (with its name, for the access log)
 * or the applicant, known by their ID number's HMAC only.
 */
export type Principal =
  | { role: 'admin'; clientId: string | null; name: string }
  | { role: 'provider'; clientId: string; providerId: string; name: string }
  | { role: 'title_system'; clientId: string; name: string }
  | { role: 'applicant'; personKey: Buffer; idNumberMasked: string };

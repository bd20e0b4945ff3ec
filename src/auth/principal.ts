export type ApiRole = 'admin' | 'provider' | 'title_system';
export type Role = ApiRole | 'applicant';

/** Who is calling, as the auth guard established it. Applicants are known by their ID number's HMAC only. */
export type Principal =
  | { role: 'admin'; clientId: string | null }
  | { role: 'provider'; clientId: string; providerId: string }
  | { role: 'title_system'; clientId: string }
  | { role: 'applicant'; personKey: Buffer; idNumberMasked: string };

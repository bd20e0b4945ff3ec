import { createHash, randomBytes } from 'node:crypto';

const API_KEY_PREFIX = 'cel_';

/** A new API key: 256 random bits. Only its SHA-256 is stored (a random key needs no slow hash). */
export const generateApiKey = (): string => API_KEY_PREFIX + randomBytes(32).toString('base64url');

/** A secret that signs a client's webhooks (HMAC-SHA256); shown once, kept encrypted. */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export const hashApiKey = (key: string): Buffer => createHash('sha256').update(key).digest();

/** Applicant tokens are JWTs (three dot-separated parts); API keys have no dots. */
export const looksLikeJwt = (credential: string): boolean => credential.split('.').length === 3;
